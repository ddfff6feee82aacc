"""One typed Settings object, read from the environment (``SMISTA_*``) and an optional ``.env``.

Build it once with :func:`get_settings` and pass it explicitly; tests build their own.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from inbox.config import MailboxSettings


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
    routing_url: str | None = Field(default=None, description="routing API: every classification is POSTed here")
    oncall_url: str | None = Field(default=None, description="on-call webhook: emergencies go here too, at any hour")
    routing_secret: SecretStr = Field(default=SecretStr("change-me"), description="HMAC-SHA256 key of the signature header")
    routing_rules: Path | None = Field(default=None, description="routing rules (TOML); default <project>/routing.toml")
    dispatch_timeout: float = 10.0
    dispatch_max_attempts: int = 8
    api_demo_mode: bool = Field(default=False, description="serve without API keys (local demos only)")
    api_max_body_bytes: int = 10 * 1024 * 1024

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
