"""The edit models the window offers: built in, cached from the last fetch, fetched from the hub.

At start the catalogue has the built-in model and the cached list, so the form works offline
at once; ``fetch`` then asks the hub (off the UI thread) for its list and whether it has the
async queue. Only image-to-image models are offered.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from retouch.core import errors as E
from retouch.core.schema import (
    DEFAULT_MODEL,
    ModelInfo,
    SchemaCache,
    builtin_model,
    model_info,
    resolve_model_list,
)
from retouch.ui.tasks import Task, TaskContext, run_task

if TYPE_CHECKING:
    from retouch.core.profile import HubProfile

log = logging.getLogger(__name__)


def fetch_models(
    profile: HubProfile, cache: SchemaCache | None = None
) -> tuple[list[ModelInfo], bool]:
    """The hub's edit models, each with a parameter schema, and whether the hub answers the
    queue (on a pool thread).

    A model listed without its schema (null or missing, or under ``json_request_schema``) is
    completed by ``resolve_model_list``: its own entry (``GET /ai/models/{id}``), then *cache*,
    then the built-in schema — so gpt-image-2-edit never comes up with an empty form."""
    with profile.client(read_timeout=30) as client:
        listed = client.list_models()
        edit_models = [r for r in listed if isinstance(r, dict) and model_info(r).is_image_edit]
        models = resolve_model_list(edit_models, cache, client.get_model)
        try:
            client.queue_list()
            queue = True
        except E.RetouchError:
            queue = False
    return models, queue


def _default_model() -> ModelInfo:
    builtin = builtin_model(DEFAULT_MODEL)
    assert builtin is not None
    return builtin


class ModelCatalogue(QObject):
    #: The hub listed its models (already in ``models``): list[ModelInfo], fresh from the hub.
    listed = Signal(list)
    queueProbed = Signal(bool)  # whether the hub answers GET /ai/queue
    refreshed = Signal(int)  # a refresh the user asked for worked: how many models now
    refreshFailed = Signal(str)  # a refresh the user asked for failed: the message
    refreshingChanged = Signal(bool)

    def __init__(
        self, cache: SchemaCache, *, keep_cache: bool = True, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.cache = cache
        self.keep_cache = keep_cache  # the demo's stand-in models never replace the real ones
        self.refreshing = False
        self.models: dict[str, ModelInfo] = {}
        self.load_offline()

    def load_offline(self) -> None:
        default = _default_model()
        self.models = {default.id: default}
        # Entries cached without a schema are completed from their own cached entry or
        # the built-in schema (never an empty form); no request is made here.
        for info in resolve_model_list(self.cache.load_list(), self.cache):
            if info.is_image_edit:
                self.models[info.id] = replace(info, source="cache")

    def get(self, model_id: str) -> ModelInfo | None:
        return self.models.get(model_id)

    def resolve(self, model_id: str) -> ModelInfo:
        """*model_id*'s model, or the default one when it is not offered."""
        return self.models.get(model_id) or self.models.get(DEFAULT_MODEL) or _default_model()

    def display_name(self, model_id: str) -> str:
        """What a model is called ("GPT Image 2 Edit"), for ids in the history too; an id
        no list knows stays as it is."""
        model = self.models.get(model_id)
        if model is not None and model.display_name:
            return model.display_name
        from retouch.core.schema import BUILTIN_MODELS

        builtin = BUILTIN_MODELS.get(model_id)
        return str(builtin["display_name"]) if builtin else model_id

    def fetch(self, profile: HubProfile, *, explicit: bool = False) -> Task[Any]:
        """Ask the hub for its list. A failure is logged; *explicit* (the user asked) also
        reports it with ``refreshFailed``."""
        if explicit:
            self._set_refreshing(True)

        def failed(exc: BaseException) -> None:
            message = exc.message if isinstance(exc, E.RetouchError) else str(exc)
            log.info("model list not refreshed: %s", message)
            if explicit:
                self._set_refreshing(False)
                self.refreshFailed.emit(message)

        cache = self.cache if self.keep_cache else None

        def job(_ctx: TaskContext) -> tuple[list[ModelInfo], bool]:
            return fetch_models(profile, cache)

        return run_task(
            job,
            receiver=self,
            name="fetch models",
            on_result=lambda answer: self._fetched(*answer, explicit=explicit),
            on_error=failed,
        )

    def _fetched(self, infos: list[ModelInfo], queue: bool, *, explicit: bool) -> None:
        if explicit:
            self._set_refreshing(False)
        fresh = [m for m in infos if m.is_image_edit]
        if fresh:
            if self.keep_cache:
                self.cache.save_list([m.raw for m in fresh])
            self.models = {m.id: m for m in fresh}
            if DEFAULT_MODEL not in self.models:
                self.models = {DEFAULT_MODEL: _default_model(), **self.models}
            self.listed.emit(fresh)
        if explicit:
            self.refreshed.emit(len(self.models))
        self.queueProbed.emit(queue)

    def _set_refreshing(self, refreshing: bool) -> None:
        self.refreshing = refreshing
        self.refreshingChanged.emit(refreshing)
