"""Settings, read once from the environment (prefix ``TERMSCORE_``)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields


def _env(name: str, default, cast=str):
    raw = os.environ.get(f"TERMSCORE_{name}")
    if raw is None or raw == "":
        return default
    if cast is bool:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if cast is tuple:
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    return cast(raw)


@dataclass(frozen=True)
class Settings:
    """Every tunable, with its unit; defaults suit local development."""

    max_body_bytes: int = 8 * 1024 * 1024          # whole request body, bytes
    max_paragraphs: int = 20_000                   # paragraphs per review request
    max_paragraph_chars: int = 50_000              # characters in one paragraph
    max_total_chars: int = 5_000_000               # characters in one review request
    max_id_chars: int = 200                        # characters in a paragraph id
    max_upload_bytes: int = 20 * 1024 * 1024       # .docx upload, bytes
    max_review_cpu_seconds: float = 1.8            # CPU time one request may spend reviewing; 0 = no bound
    allowed_origins: tuple[str, ...] = field(default_factory=tuple)  # CORS; empty = same origin
    api_keys: tuple[str, ...] = field(default_factory=tuple)         # empty = no auth (localhost)
    rate_limit: str = "600 per minute"             # per client; "off" disables
    rate_limit_storage: str = "memory://"          # e.g. redis://host:6379 for several instances
    proxy_hops: int = 0                            # trusted proxies in front (nginx = 1): X-Forwarded-For
    log_level: str = "INFO"

    @classmethod
    def from_env(cls) -> "Settings":
        """Build settings from ``TERMSCORE_<NAME>`` variables, falling back to the defaults."""
        defaults = cls()
        values = {}
        for f in fields(cls):
            default = getattr(defaults, f.name)
            cast = tuple if isinstance(default, tuple) else type(default)
            values[f.name] = _env(f.name.upper(), default, cast)
        return cls(**values)
