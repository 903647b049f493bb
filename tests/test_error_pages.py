"""A visitor who lands on a wrong address reads a page of the app, in plain words, with a way on:
a mistyped or replaced private link, a method a page does not take, a fault of ours."""


def test_a_mistyped_private_link_gets_the_apps_own_page_in_plain_words(client):
    response = client.get("/speaker/not-a-real-token-at-all-000000000000")

    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "<h1>Page not found</h1>" in page
    assert "check that it was copied whole" in page
    assert 'class="site-header"' in page  # the app's layout, not the framework's bare page
    assert "The requested URL was not found on the server" not in page


def test_a_missing_page_reads_the_same_whatever_the_address_held(client):
    """A guessed token learns nothing from the page it gets."""
    pages = {client.get(path).get_data(as_text=True)
             for path in ("/speaker/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                          "/r/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/advance",
                          "/no/such/page")}
    assert len(pages) == 1


def test_a_method_a_page_does_not_take_keeps_its_allow_header(client):
    response = client.delete("/coordinator/login")

    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert "<h1>Not possible here</h1>" in response.get_data(as_text=True)


def test_a_fault_of_ours_says_nothing_saved_was_lost(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the error page, not a raise

    @app.get("/boom")
    def boom():
        raise RuntimeError("a bug")

    response = app.test_client().get("/boom")

    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong on our side" in page
    assert "Nothing you saved before has been lost" in page
    assert "a bug" not in page


def test_an_address_without_its_last_slash_is_still_redirected_not_refused(client):
    response = client.get("/coordinator")

    assert response.status_code == 308
    assert response.headers["Location"].endswith("/coordinator/")


def test_a_bad_request_under_a_korean_speakers_link_is_answered_in_korean(client, make):
    speaker = make.speaker(make.tour(), locale="ko")

    response = client.post(f"/speaker/{speaker.feed_token}/check-in/999999")  # an empty form

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert '<html lang="ko">' in page
    assert "<h1>요청을 읽을 수 없습니다</h1>" in page
