"""Errors are catchable as the built-ins they resemble and carry a translatable message without secrets."""

from __future__ import annotations

import pytest

from camdesk import errors


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (errors.CameraUnreachable, ConnectionError),
        (errors.ConnectionRefused, ConnectionRefusedError),
        (errors.CameraTimeout, TimeoutError),
        (errors.StreamTimeout, TimeoutError),
        (errors.AuthFailed, PermissionError),
        (errors.NotOnvifDevice, ValueError),
        (errors.HostileReply, ValueError),
        (errors.DiskFull, OSError),
        (errors.DatabaseLocked, OSError),
        (errors.ConfigError, ValueError),
    ],
)
def test_error_is_also_the_fitting_builtin(cls: type[errors.CamdeskError], builtin: type[BaseException]) -> None:
    with pytest.raises(builtin):
        raise cls("detail")


def test_every_error_class_has_its_own_user_text() -> None:
    def all_subclasses(c: type) -> list[type]:
        out = []
        for s in c.__subclasses__():
            out += [s, *all_subclasses(s)]
        return out

    classes = [c for c in all_subclasses(errors.CamdeskError) if c.__module__ == "camdesk.errors"]
    assert len(classes) >= 15
    for c in classes:
        message = c("detail").user_message
        assert message.context == "Errors"
        assert message.english(), c
    texts = [c.user_text for c in classes]
    assert len(set(texts)) == len(texts), "two error classes say the same thing to the user"


def test_message_fills_in_values() -> None:
    e = errors.Unsupported("H.266 video")
    assert e.user_message.english() == "This camera or stream is not supported: H.266 video"
