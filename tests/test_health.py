def test_healthz_reports_database_and_in_process_queue(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "queue": "in-process"}


def test_healthz_fails_when_the_queue_is_unreachable(app, client):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["queue"].startswith("error")
