"""The async queue: ``POST /ai/queue``, ``GET /ai/queue[/{id}]``, ``DELETE /ai/queue/{id}``.

A generation advances one step per poll and renders its picture on the poll that
completes it."""

from __future__ import annotations

import uuid

from .errors import ApiError
from .models import DEFAULT_MODEL
from .records import EditJob, Generation, now_iso
from .routes_edit import EditRoutes


class QueueRoutes(EditRoutes):
    def _queue_post(self) -> None:
        body = self._body_object()
        n = body.get("num_generations", 1)
        if n is None:
            n = 1
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 4:
            raise ApiError(400, "num_generations: must be an integer from 1 to 4")
        tweaks = self._tweaks
        if tweaks.fewer_images:
            n = 1
        if tweaks.extra_images is not None:
            n = tweaks.extra_images  # more generations than asked
        job: EditJob | None = None
        error: str | None = None
        try:
            job = self._prepare_edit(body)
        except ApiError as exc:
            error = exc.detail
        if tweaks.echo_key:
            error = self._key_echo_error()
        model = self._rec.model or DEFAULT_MODEL
        now = now_iso()
        gens = []
        with self.hub._lock:
            for i in range(n):
                gen = Generation(
                    generation_id=uuid.uuid4().hex,
                    model=model,
                    status="queued",
                    created_at=now,
                    updated_at=now,
                    index=i,
                    job=job,
                    error=error,
                )
                self.hub._generations[gen.generation_id] = gen
                gens.append(gen)
        self._json(
            200,
            {
                "generations": [
                    {
                        "generation_id": g.generation_id,
                        "status": g.status,
                        "model": g.model,
                        "created_at": g.created_at,
                    }
                    for g in gens
                ]
            },
        )

    def _find_generation(self, generation_id: str) -> Generation:
        with self.hub._lock:
            gen = self.hub._generations.get(generation_id)
        if gen is None:
            raise ApiError(404, f"Generation not found: {generation_id}")
        return gen

    def _key_echo_error(self) -> str:
        return (
            "Generation failed: the provider refused the credentials "
            f"(Authorization: Bearer {self._bearer_key()})"
        )

    def _queue_get(self, generation_id: str) -> None:
        gen = self._find_generation(generation_id)
        with gen.lock:
            if self._tweaks.echo_key:
                gen.status, gen.error = "failed", self._key_echo_error()
                gen.updated_at = now_iso()
            if gen.status in ("queued", "processing"):
                gen.polls += 1
                if gen.error is not None:
                    gen.status = "failed"
                elif gen.polls >= max(1, self.hub.queue_steps):
                    assert gen.job is not None
                    try:
                        job = EditJob(**{**gen.job.__dict__, "response_format": "url"})
                        _item, url = self._render_item(job, gen.index)
                        gen.result_url = url
                        gen.status = "succeeded"
                    except Exception as exc:  # noqa: BLE001 - becomes a failed generation
                        gen.error = f"Generation failed: {exc}"
                        gen.status = "failed"
                else:
                    gen.status = "processing"
                gen.updated_at = now_iso()
            state = gen.to_json()
        self._json(200, state)

    def _queue_delete(self, generation_id: str) -> None:
        gen = self._find_generation(generation_id)
        with gen.lock:
            if gen.status in ("queued", "processing"):
                gen.status = "cancelled"
                gen.updated_at = now_iso()
            state = gen.to_json()
        self._json(200, state)

    def _queue_list(self) -> None:
        wanted = self._rec.query.get("status", "active")
        with self.hub._lock:
            gens = list(self.hub._generations.values())
        if wanted == "active":
            gens = [g for g in gens if g.status in ("queued", "processing")]
        elif wanted != "all":
            gens = [g for g in gens if g.status == wanted]
        self._json(200, {"generations": [g.to_json() for g in gens]})
