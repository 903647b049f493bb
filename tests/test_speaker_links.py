"""A coordinator finds each speaker's own page in one click from the speaker list, and can email
the speaker its link."""

from tests.mailbox import outbox


def test_the_speaker_list_links_each_speakers_own_page(client, auth, make):
    auth.login()
    tour = make.tour()
    speaker = make.speaker(tour, display_name="Grace")

    page = client.get(f"/coordinator/tours/{tour.slug}/speakers").get_data(as_text=True)

    link = f"http://localhost/speaker/{speaker.feed_token}"
    assert f'href="{link}"' in page and "Open their page" in page
    assert f'value="{link}"' in page and "Copy link" in page
    assert client.get(f"/speaker/{speaker.feed_token}").status_code == 200


def test_emailing_a_speaker_their_link_sends_it_to_their_address_only(app, client, auth, make):
    auth.login()
    tour = make.tour()
    speaker = make.speaker(tour, display_name="Grace", contact_email="grace@example.org")
    make.speaker(tour, display_name="Other", contact_email="other@example.org")

    response = client.post(
        f"/coordinator/tours/{tour.slug}/speakers/{speaker.id}/send-link", follow_redirects=True
    )

    assert "Sent Grace the link to their page, at grace@example.org." in response.get_data(
        as_text=True
    )
    [message] = outbox(app)
    assert message["To"] == "grace@example.org"
    assert f"http://localhost/speaker/{speaker.feed_token}" in message.get_content()


def test_a_speaker_without_an_address_gets_no_email_and_the_coordinator_is_told(
    app, client, auth, make
):
    auth.login()
    tour = make.tour()
    speaker = make.speaker(tour, display_name="Grace", contact_email="")

    response = client.post(
        f"/coordinator/tours/{tour.slug}/speakers/{speaker.id}/send-link", follow_redirects=True
    )

    assert "Grace has no email address" in response.get_data(as_text=True)
    assert outbox(app) == []


def test_a_korean_speaker_gets_their_link_in_korean(app, client, auth, make):
    auth.login()
    tour = make.tour(name="Spring Tour")
    speaker = make.speaker(
        tour, display_name="Grace", contact_email="grace@example.org", locale="ko"
    )

    client.post(f"/coordinator/tours/{tour.slug}/speakers/{speaker.id}/send-link")

    [message] = outbox(app)
    body = message.get_content()
    assert message["Subject"] == "Spring Tour: 나의 페이지"
    assert "Grace 님, 안녕하세요." in body
    assert "비공개 링크" in body and "Hello" not in body
    assert f"http://localhost/speaker/{speaker.feed_token}" in body
    # the coordinator's own page stays in English
    page = client.get(f"/coordinator/tours/{tour.slug}/speakers").get_data(as_text=True)
    assert "Open their page" in page
