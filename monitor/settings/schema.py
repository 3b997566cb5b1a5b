"""Every configuration key, declared once: type, default, help, example, secrecy.

``config.py`` validates against these tables and ``tests/test_docs.py`` checks that
each key is described in ``config/README.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Kind = str  # "str" | "int" | "bool" | "duration" | "retention" | "window" | "size" | "list"
#             | "choice"


@dataclass(frozen=True)
class Key:
    name: str
    kind: Kind
    default: Any = None
    required: bool = False
    secret: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""


MONITOR_KEYS = (
    Key("db", "str", "storage/monitor.db", help="SQLite file; relative to the working directory"),
    Key("interval", "duration", "15m", help="default poll interval of a feed"),
    Key("tick", "duration", "30s", help="how often the scheduler looks for due feeds and alerts"),
    Key("allow_private_networks", "bool", False, help="allow feeds and webhooks on private IPs"),
    Key("allow_hosts", "list", (),
        help="hosts, host:port or CIDR blocks that may be reached although not public"),
    Key("first_poll", "choice", "alert", choices=("alert", "store"),
        help="what to do with matches found on a feed's first successful poll"),
    Key("first_poll_window", "window", "24h",
        help="on a feed's first poll, alert at once only about items published this "
             "recently; the older hits go out together in one summary message; \"off\": "
             "alert every hit at once"),
    Key("fetch_timeout", "duration", "30s", help="total deadline of one HTTP request"),
    Key("failing_after", "duration", "6h",
        help="a feed failing this long triggers one 'source is failing' alert"),
    Key("max_body_size", "size", "15MB", help="largest feed body accepted, after decoding"),
    Key("document_max_size", "size", "50MB",
        help="largest document (PDF, DOCX, ...) fetched and archived as evidence"),
    Key("retry_delay", "duration", "1m",
        help="wait before the first retry of a failed alert; doubles each time, up to 6h"),
    Key("retry_for", "duration", "3d",
        help="how long a failing alert is retried before it is marked dead"),
    Key("keep_entries", "retention", "365d",
        help="entries without hits older than this are deleted; hits are always kept"),
    Key("concurrency", "int", 8, help="how many feeds are fetched at the same time"),
    Key("host_concurrency", "int", 2, help="how many of them from the same host at once"),
    Key("user_agent", "str", "monitor/0.1 (self-hosted media monitor)",
        help="User-Agent header sent with every request"),
    Key("timezone", "str", "UTC",
        help="IANA time zone of the times shown in emails and by the CLI (stored times, JSON "
             "and webhooks stay UTC)"),
    Key("log_level", "choice", "info", choices=("debug", "info", "warning", "error"),
        help="least important log level written to stderr"),
)

FEED_KEYS = (
    Key("name", "str", required=True, help="unique short name: letters, digits, . _ -"),
    Key("url", "str", required=True, help="http(s) URL of the RSS or Atom feed"),
    Key("interval", "duration", help="poll interval of this feed; default monitor.interval"),
    Key("fetch_timeout", "duration", help="this feed's deadline; default monitor.fetch_timeout"),
    Key("max_body_size", "size", help="this feed's size cap; default monitor.max_body_size"),
    Key("full_text", "bool", False,
        help="fetch each new entry's linked article and match its main text too"),
)

PAGE_KEYS = (
    Key("name", "str", required=True, help="unique short name (among feeds and pages)"),
    Key("url", "str", required=True, help="http(s) URL of the page that lists the items"),
    Key("links", "str", required=True,
        help="CSS selector of the item links (an <a>, or an element holding one)"),
    Key("title", "str", help="CSS selector of the title, within each link's container"),
    Key("date", "str", help="CSS selector of the date, within each link's container"),
    Key("interval", "duration", help="poll interval of this page; default monitor.interval"),
    Key("fetch_timeout", "duration", help="this page's deadline; default monitor.fetch_timeout"),
    Key("max_body_size", "size", help="this page's size cap; default monitor.max_body_size"),
    Key("first_poll", "choice", "store", choices=("alert", "store"),
        help="store: the links already there on the first poll are not news; alert: they are"),
)

WATCH_KEYS = (
    Key("name", "str", required=True, help="unique short name: letters, digits, . _ -"),
    Key("query", "str", help="the rule, in the query language (see config/README.md)"),
    Key("keywords", "list", help="words or phrases, any one of which matches; instead of query"),
    Key("examples.match", "list", (), help="texts this watch must match (checked by check)"),
    Key("examples.no_match", "list", (), help="texts this watch must not match"),
    Key("feeds", "list", (), help="feed names this watch applies to; default all feeds"),
    Key("notify", "list", None, help="notifier names to alert; default all notifiers"),
    Key("delivery", "choice", choices=("immediate", "digest"),
        help="override the notifiers' mode for this watch's hits"),
    Key("require", "choice", choices=("document",),
        help="document: hit only entries that are, link to or attach a document"),
    Key("extract", "choice", choices=("date",),
        help="date: keep one answer, the date the hits announce for the event, and alert "
             "when it is first announced, refined, changed or held"),
)

NOTIFIER_KEYS = (
    Key("name", "str", required=True, help="unique short name: letters, digits, . _ -"),
    Key("type", "choice", required=True, choices=("email", "webhook", "apprise"),
        help="the channel"),
)

EMAIL_KEYS = (
    Key("smtp_host", "str", required=True, help="SMTP server host name"),
    Key("smtp_port", "int", 587, help="SMTP server port"),
    Key("security", "choice", "starttls", choices=("starttls", "ssl", "tls", "none"),
        help="starttls (verified certificate), ssl or tls (both: implicit TLS, port 465) "
             "or none (a relay on a trusted network)"),
    Key("username", "str", help="SMTP login; no login when absent"),
    Key("password", "str", secret=True, help="SMTP password"),
    Key("from", "str", required=True, help="sender address"),
    Key("to", "list", required=True, help="recipient addresses"),
    Key("timeout", "duration", "30s", help="deadline of one SMTP conversation step"),
    Key("ca_file", "str", help="CA bundle that signs the server's certificate (private CA)"),
)

WEBHOOK_KEYS = (
    Key("url", "str", required=True, secret=True,
        help="http(s) URL that receives a JSON POST per alert (a secret: often the credential)"),
    Key("secret", "str", secret=True,
        help="Standard Webhooks signing secret (whsec_... or any string); unsigned when absent"),
    Key("timeout", "duration", "10s", help="total deadline of one POST"),
)

APPRISE_KEYS = (
    Key("urls", "list", required=True, secret=True,
        help="Apprise URLs: tgram://, slack://, matrix://, discord://, ntfy://, msteams://, ..."),
)

DIGEST_KEYS = (
    Key("mode", "choice", "immediate", choices=("immediate", "digest"),
        help="immediate: one alert per hit; digest: pending hits together, on a schedule"),
    Key("digest_every", "duration", help="send a digest this often (default 1h)"),
    Key("digest_at", "list", (), help="send a digest at these local times, like \"08:00\""),
    Key("timezone", "str",
        help="IANA time zone of digest_at, like \"Europe/Minsk\"; default monitor.timezone"),
)

NOTIFIER_TYPE_KEYS = {"email": EMAIL_KEYS + DIGEST_KEYS, "webhook": WEBHOOK_KEYS + DIGEST_KEYS,
                      "apprise": APPRISE_KEYS + DIGEST_KEYS}

SECTIONS: dict[str, tuple[Key, ...]] = {
    "monitor": MONITOR_KEYS,
    "feeds": FEED_KEYS,
    "pages": PAGE_KEYS,
    "watches": WATCH_KEYS,
    "notifiers": NOTIFIER_KEYS,
    "notifiers (email)": EMAIL_KEYS,
    "notifiers (webhook)": WEBHOOK_KEYS,
    "notifiers (apprise)": APPRISE_KEYS,
    "notifiers (digest)": DIGEST_KEYS,
}
