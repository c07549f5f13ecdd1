"""Outgoing e-mail through SMTP (smtplib), configured in settings (``smtp_*``). No SMTP host: no
e-mail at all; callers then show what would have been sent to the coach only."""
from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr

from .errors import MailError
from .settings import Settings, get_settings


def mail_configured(settings: Settings | None = None) -> bool:
    """True when an SMTP host is set."""
    return bool((settings or get_settings()).smtp_host.strip())


def public_url(settings: Settings | None = None) -> str:
    """The address people open the workbook at (for links in e-mails)."""
    st = settings or get_settings()
    return (st.public_url or f"http://{st.host}:{st.port}").rstrip("/")


def rater_page_url(settings: Settings | None = None) -> str:
    """The rater page's address."""
    return f"{public_url(settings)}/voila/render/rater.ipynb"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def send_mail(to: str, subject: str, body: str, to_name: str = "", settings: Settings | None = None) -> None:
    """Hand one plain-text message to the SMTP server; MailError (one line, no password) on failure."""
    st = settings or get_settings()
    if not mail_configured(st):
        raise MailError("no SMTP server is configured (set WORKBOOK_SMTP_HOST); nothing was sent")
    msg = EmailMessage()
    msg["From"] = st.smtp_from
    msg["To"] = formataddr((_one_line(to_name), to)) if to_name else to
    msg["Subject"] = _one_line(subject)
    msg.set_content(body)
    where = f"SMTP server {st.smtp_host}:{st.smtp_port}"
    try:
        if st.smtp_tls == "ssl":
            client = smtplib.SMTP_SSL(st.smtp_host, st.smtp_port, timeout=st.smtp_timeout_seconds, context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(st.smtp_host, st.smtp_port, timeout=st.smtp_timeout_seconds)
        with client:
            if st.smtp_tls == "starttls":
                client.starttls(context=ssl.create_default_context())
            if st.smtp_user:
                client.login(st.smtp_user, st.smtp_password)
            client.send_message(msg)
    except smtplib.SMTPAuthenticationError:
        raise MailError(f"{where} refused the login of {st.smtp_user!r}; check WORKBOOK_SMTP_USER and WORKBOOK_SMTP_PASSWORD; nothing was sent") from None
    except smtplib.SMTPRecipientsRefused:
        raise MailError(f"{where} refused the address {to!r}; correct the rater's e-mail; nothing was sent") from None
    except smtplib.SMTPNotSupportedError as exc:
        raise MailError(f"{where}: {_one_line(exc)} (set WORKBOOK_SMTP_TLS to match the server: starttls, ssl or none); nothing was sent") from None
    except (TimeoutError, smtplib.SMTPException, OSError, ssl.SSLError) as exc:
        reason = _one_line(exc) or type(exc).__name__
        raise MailError(f"{where}: {reason} (check WORKBOOK_SMTP_HOST, WORKBOOK_SMTP_PORT and WORKBOOK_SMTP_TLS); nothing was sent") from None
