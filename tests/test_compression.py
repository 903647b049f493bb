"""Pages leave compressed when the browser accepts it (Flask-Compress), and plain otherwise."""

import gzip


def test_a_page_is_sent_gzip_compressed_to_a_browser_that_accepts_it(client, auth, make):
    auth.login()
    tour = make.tour()
    make.speaker(tour)
    plain = client.get(f"/coordinator/tours/{tour.slug}/review")

    packed = client.get(
        f"/coordinator/tours/{tour.slug}/review", headers={"Accept-Encoding": "gzip"}
    )

    assert plain.headers.get("Content-Encoding") is None
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 2
