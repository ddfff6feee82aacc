"""One typed Settings object, read from the environment (``SMISTA_*``) and an optional ``.env``.

Build it once with :func:`get_settings` and pass it explicitly; tests build their own.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from inbox.config import MailboxSettings

#: Chosen on EVALITA 2016 QA4FAQ by ``python bench/faq.py DATA --only threshold``: the lowest cut
#: whose suggestions are right 80% of the time on half-splits of its 1,132 customer queries, on the
#: e5 cosine between a question and its top FAQ (a scale that does not move with the collection size).
FAQ_THRESHOLD = 0.948  # there: 0.807 precision on the held-out halves, 16.8% of the queries given a suggestion


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SMISTA_", env_file=".env", extra="ignore", env_nested_delimiter="__",
                                      toml_file="smista.toml")

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
                                   file_secret_settings) -> tuple[PydanticBaseSettingsSource, ...]:
        """Precedence: arguments, environment, .env, then the ``smista.toml`` config file."""
        return init_settings, env_settings, dotenv_settings, TomlConfigSettingsSource(settings_cls), file_secret_settings

    project_dir: Path = Field(default=Path("."), description="where data/, models/ and the local stores live")
    models_dir: Path | None = Field(default=None, description="model bundles; default <project_dir>/models")
    training_config: Path | None = Field(default=None, description="training settings; default training/config.toml")
    samples_dir: Path | None = Field(default=None, description="the sample Maildir; default data/samples/maildir")
    mlflow_tracking_uri: str | None = Field(
        default=None, validation_alias=AliasChoices("MLFLOW_TRACKING_URI", "SMISTA_MLFLOW_TRACKING_URI"),
        description="MLflow server or store; default a SQLite store inside the project directory")
    mlflow_experiment: str = "smista"
    registered_model: str = "smista-triage"
    spacy_pipeline: str | None = Field(default=None, description="force 'blank:it+lookup' even if it_core_news_sm is installed")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default a SQLite file smista.db")
    mailboxes: list[MailboxSettings] = Field(default_factory=list, description="default: the sample Maildir, read-only")
    max_message_bytes: int = 50 * 1024 * 1024
    poll_lease_seconds: float = Field(default=60.0, gt=0, description="a folder whose poller died is taken over after this")
    max_attempts: int = Field(default=3, ge=1, description="unfinished processing runs before a message is quarantined")
    api_classify_timeout: float = Field(default=10.0, gt=0, description="seconds a /v1/classify may take before a 503")
    api_classify_threads: int = Field(default=4, ge=1, description="classifications running at once, off the event loop")
    api_submission_backlog: int = Field(default=2000, ge=1, description="POST /v1/messages stored and not yet classified, "
                                        "per API process, before new ones get 503 and Retry-After")
    routing_url: str | None = Field(default=None, description="routing API: every classification is POSTed here")
    oncall_url: str | None = Field(default=None, description="on-call webhook: emergencies go here too, at any hour")
    routing_secret: SecretStr = Field(default=SecretStr("change-me"), description="HMAC-SHA256 key of the signature header")
    routing_rules: Path | None = Field(default=None, description="routing rules (TOML); default <project>/routing.toml")
    dispatch_timeout: float = 10.0
    dispatch_max_attempts: int = 8
    api_demo_mode: bool = Field(default=False, description="serve without API keys (local demos only)")
    api_max_body_bytes: int = 10 * 1024 * 1024
    read_attachments: bool = Field(default=True, description="read letters, signed files and faxes in the attachments")
    attachment_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1024, description="larger attachments are listed, not read")
    attachment_max_pages: int = Field(default=30, ge=1, description="pages of a PDF read at most")
    attachment_seconds: float = Field(default=20.0, gt=0, description="reading one attachment stops after this")
    attachment_message_seconds: float = Field(default=45.0, gt=0, description="reading a message's attachments stops after this")
    attachment_ocr: bool = Field(default=True, description="read scans and faxes with tesseract when it is installed")
    attachment_memory_mb: int = Field(default=1536, ge=256, description="address space of the process that reads attachments")
    faq_worker: bool = Field(default=True, description="smista run reads the questions of new requests for the FAQ")
    faq_match_threshold: float = Field(default=FAQ_THRESHOLD, description="e5 cosine to the top FAQ above which it is suggested")
    faq_min_senders: int = Field(default=5, ge=1, description="distinct senders that make a cluster an FAQ candidate")
    faq_window_days: int = Field(default=60, ge=1, description="the window those senders are counted in")
    faq_join: float = Field(default=0.5, gt=0, lt=1, description="cosine at which a question joins a cluster")
    faq_recluster_every: int = Field(default=500, ge=1, description="clustered questions between two full re-clusterings")
    faq_batch: int = Field(default=200, ge=1, description="classifications the FAQ worker reads per run")
    faq_max_chars: int = Field(default=20_000, ge=100, description="text of a message the questions are read from")
    console_session_hours: float = Field(default=12.0, gt=0, description="a console login lasts this long")
    console_lockout_failures: int = Field(default=5, ge=1, description="failed logins of an account that lock it")
    console_lockout_minutes: float = Field(default=15.0, gt=0, description="the window those failures are counted in")
    console_secure_cookie: bool | None = Field(default=None, description="Secure session cookie; default: unless on loopback")
    contract_name: str = Field(default="Contratto di servizio del contact center",
                               description="the contract named on the cover of the monthly report")
    smtp_host: str | None = Field(default=None, description="SMTP server for the monthly report; none: not mailed")
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    report_sender: str = "smista@localhost"
    report_recipients: list[str] = Field(default_factory=list, description="who receives the monthly report")

    @property
    def rules_file(self) -> Path:
        return self.routing_rules or self.project_dir / "routing.toml"

    @property
    def database(self) -> str:
        return self.database_url or f"sqlite:///{(self.project_dir / 'smista.db').resolve()}"

    @property
    def watched(self) -> list[MailboxSettings]:
        return self.mailboxes or [MailboxSettings(name="samples", url=f"maildir://{self.samples.resolve()}", mark="none")]

    @property
    def models(self) -> Path:
        return self.models_dir or self.project_dir / "models"

    @property
    def samples(self) -> Path:
        return self.samples_dir or self.project_dir / "data" / "samples" / "maildir"

    @property
    def tracking_uri(self) -> str:
        return self.mlflow_tracking_uri or f"sqlite:///{(self.project_dir / 'mlflow.db').resolve()}"

    @property
    def artifact_root(self) -> str:
        """Run artifacts live beside a SQLite tracking store (``mlruns/`` next to the database)."""
        uri = self.tracking_uri
        base = Path(uri.removeprefix("sqlite:///")).parent if uri.startswith("sqlite:///") else self.project_dir
        return (base / "mlruns").resolve().as_uri()


def worker_environment(settings: Settings, metrics_dir: Path) -> dict[str, str]:
    """What uvicorn's worker processes, which build their own Settings from the environment, must
    be told that this process was given otherwise: demo mode, and where to add up their metrics
    (prometheus-client's own variable)."""
    env = {"PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
    if settings.api_demo_mode:
        env["SMISTA_API_DEMO_MODE"] = "true"
    return env


@lru_cache
def get_settings() -> Settings:
    return Settings()
