"""The test app's outbox (``OUTBOX_DIR``): mail the app sent, read back as messages."""

import email
import email.policy
import os


def outbox(app) -> list[email.message.EmailMessage]:
    """Every message sent so far, oldest first."""
    folder = app.config["OUTBOX_DIR"]
    if not os.path.isdir(folder):
        return []
    messages = []
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as handle:
            messages.append(email.message_from_binary_file(handle, policy=email.policy.default))
    return messages


def empty_outbox(app) -> None:
    folder = app.config["OUTBOX_DIR"]
    if os.path.isdir(folder):
        for name in os.listdir(folder):
            os.remove(os.path.join(folder, name))
