"""Routes that make pictures: ``POST /ai/images/edit`` and ``POST /ai/images/generate``,
and fetching the inputs (data URIs, results, repository files) like the model server does."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

from . import images as img
from .errors import ApiError
from .models import (
    DEFAULT_MODEL,
    RESPONSE_FORMATS,
    apply_defaults,
    can_generate,
    find_model,
    is_edit_model,
    output_size,
    schema_of,
    validate_params,
)
from .records import EditJob
from .transport import API_PREFIX, HandlerBase


class EditRoutes(HandlerBase):
    def _load_image(self, url: Any, field_name: str) -> tuple[img.DecodedImage, str]:
        """Fetch and decode an input like the model server would."""
        if not isinstance(url, str) or not url.strip():
            raise ApiError(400, f"{field_name}: must be a non-empty URL string")
        url = url.strip()
        if url[:5].lower() == "data:":
            try:
                media_type, data = img.parse_data_uri(url)
                if media_type and not media_type.startswith("image/"):
                    raise img.ImageInputError(f"data URI media type {media_type!r} is not an image")
                return img.decode_image(data), "data"
            except img.ImageInputError as exc:
                raise ApiError(400, f"{field_name}: {exc}") from None
        split = urlsplit(url)
        if split.scheme.lower() not in ("http", "https") or not split.netloc:
            raise ApiError(400, f"{field_name}: must be an http(s) URL or a data: URI")
        try:
            port = split.port or (443 if split.scheme.lower() == "https" else 80)
        except ValueError:
            raise ApiError(400, f"{field_name}: malformed URL") from None
        if not self.hub._is_own_url(split.hostname, port):
            raise ApiError(
                400,
                f"Getting model response error: 403 Client Error: Forbidden for url: {url}",
                type=None,
            )
        not_found = ApiError(
            400,
            f"Getting model response error: 404 Client Error: Not Found for url: {url}",
            type=None,
        )
        path = unquote(split.path)
        if not path.startswith(API_PREFIX + "/"):
            raise not_found
        parts = [p for p in path[len(API_PREFIX) :].split("/") if p]
        found_data: bytes | None = None
        source = ""
        if parts[:1] == ["results"]:
            found = self.hub._get_result("/".join(parts[1:]))
            found_data, source = (found[0] if found else None), "result"
        elif len(parts) >= 6 and parts[0] == "repos" and parts[3] == "file":
            r = self.hub._get_repo(parts[1], parts[2])
            upload = None if r is None else r.files.get((parts[4], "/".join(parts[5:])))
            if r is not None and upload is not None and not r.is_public:
                raise ApiError(
                    400,
                    f"Getting model response error: 403 Client Error: Forbidden for url: {url}",
                    type=None,
                )
            found_data, source = (upload.data if upload else None), "repo"
        if found_data is None:
            raise not_found
        try:
            return img.decode_image(found_data), source
        except img.ImageInputError as exc:
            raise ApiError(400, f"{field_name}: {url} is {exc}") from None

    def _prepare_edit(self, body: dict[str, Any]) -> EditJob:
        rec = self._rec
        model_id = body.get("model")
        if model_id is None:
            model_id = DEFAULT_MODEL
        if not isinstance(model_id, str) or not model_id.strip():
            raise ApiError(400, "model: must be a non-empty string")
        rec.model = model_id
        model = find_model(model_id)
        if model is None:
            raise ApiError(404, f"Model not found: {model_id}", type=None)
        if not is_edit_model(model):
            raise ApiError(
                400, f"model: {model_id} cannot edit images (endpoint {model.get('endpoint')})"
            )
        schema = schema_of(model)
        problem = validate_params(body, schema)
        if problem:
            raise ApiError(400, problem)
        response_format = body.get("response_format") or "url"
        if response_format not in RESPONSE_FORMATS:
            raise ApiError(
                400, f"response_format: {response_format!r} is not one of: url, b64_json"
            )
        mask_url = body.get("mask_url")
        target_ns = body.get("target_namespace")
        if target_ns is not None and not isinstance(target_ns, str):
            raise ApiError(400, "target_namespace: must be a string")
        params = apply_defaults(body, schema)

        inputs = params.get("input_image")
        if inputs is None:
            inputs = []  # allowed where the schema does not require it (gpt-image-2)
        single = isinstance(inputs, str)
        inputs = [inputs] if single else list(inputs)
        decoded = []
        for i, url in enumerate(inputs):
            name = "input_image" if single else f"input_image[{i}]"
            d, source = self._load_image(url, name)
            decoded.append(d)
            rec.input_sizes.append(d.size)
            rec.input_modes.append(d.mode)
            rec.input_formats.append(d.format)
            rec.input_sources.append(source)
        first = decoded[0] if decoded else None
        mask = None
        if mask_url is not None:
            m, _source = self._load_image(mask_url, "mask_url")
            mask = img.mask_to_l(m.image)
            rec.mask_size = m.size
            rec.mask_mode = m.mode
            rec.mask_format = m.format
            rec.mask_white_fraction = img.white_fraction(mask)
            if first is None:
                raise ApiError(400, "mask_url: a mask needs an input_image to apply to")
            if mask.size != first.size:
                # Like OpenAI's edit endpoint: no silent rescaling of the mask.
                raise ApiError(
                    400,
                    f"mask_url: the mask is {m.size[0]}x{m.size[1]} but the first input image "
                    f"is {first.size[0]}x{first.size[1]}; the mask must have the same "
                    "dimensions as the first input image",
                )

        size = output_size(schema, params, first.size if first else None)
        if size is None:
            raise ApiError(400, "input_image: field required")
        props = schema.get("properties", {})
        style = params.get("style", "photo")
        strength = img.EDIT_STRENGTH
        if "strength" in props:
            strength = 0.15 + 0.7 * params["strength"] / 100
            if params.get("keep_colors"):
                strength *= 0.6
        job = EditJob(
            model=model_id,
            prompt=params["prompt"],
            base=first.image if first else None,
            mask=mask,
            size=size,
            # A model without num_images in its schema makes one picture per request.
            num_images=int(params.get("num_images", 1)) if "num_images" in props else 1,
            output_format=params.get("output_format", "png"),
            response_format=response_format,
            style=style,
            strength=strength,
        )
        rec.output_size = size
        rec.output_format = job.output_format
        return job

    def _render_item(self, job: EditJob, index: int) -> tuple[dict[str, Any], str | None]:
        out = img.render_edit(
            job.base, job.size, index, job.mask, style=job.style, strength=job.strength
        )
        data = img.encode(out, job.output_format)
        item: dict[str, Any] = {"revised_prompt": job.prompt}
        url = None
        if job.response_format == "b64_json":
            item["b64_json"] = base64.b64encode(data).decode("ascii")
        else:
            url = self.hub._store_result(data, job.output_format)
            item["url"] = url
        return item, url

    def _reply_with_results(
        self,
        model_id: str,
        prompt: str,
        count: int,
        render: Callable[[int], tuple[dict[str, Any], str | None]],
    ) -> None:
        """Render *count* results and send them in the hub's result shape, as the faults
        in force (fewer, more, key echo) have them."""
        rec, tweaks, shape = self._rec, self._tweaks, self.hub.result_shape
        if tweaks.fewer_images or shape == "image_url":
            count = 1
        items = []
        for i in range(count):
            item, url = render(i)
            items.append(item)
            if url:
                rec.result_urls.append(url)
        if tweaks.echo_key:
            key = self._bearer_key()
            for item in items:
                item["revised_prompt"] = f"{prompt} (requested with Authorization: Bearer {key})"
        if tweaks.extra_images is not None and items and shape != "image_url":
            items = self._pad_results(items, tweaks.extra_images)
        rec.num_outputs = len(items)
        created = int(time.time())
        if shape == "data":
            body: dict[str, Any] = {"created": created, "data": items}
        elif shape == "image_url":
            body = {"model": model_id, "created": created, "image_url": items[0]["url"]}
        else:
            body = {"model": model_id, "created": created, "images": items}
        self._json(200, body)

    def _pad_results(self, items: list[dict[str, Any]], total: int) -> list[dict[str, Any]]:
        """*total* results made of *items*: URLs become fresh aliases of the same bytes."""
        out = items[:total]
        for i in range(len(out), total):
            item = dict(items[i % len(items)])
            if "url" in item:
                item["url"] = self.hub._alias_result(item["url"])
                self._rec.result_urls.append(item["url"])
            out.append(item)
        return out

    def _edit(self) -> None:
        job = self._prepare_edit(self._body_object())
        if self.hub.result_shape == "image_url":
            job.response_format = "url"  # a top-level image_url can only be a link
        self.hub._sleep(self.hub.delay)
        self._reply_with_results(
            job.model, job.prompt, job.num_images, lambda i: self._render_item(job, i)
        )

    def _generate(self) -> None:
        body = self._body_object()
        model_id = body.get("model") or "fake-text-to-image"
        self._rec.model = str(model_id)
        model = find_model(str(model_id))
        if model is None:
            raise ApiError(404, f"Model not found: {model_id}", type=None)
        if not can_generate(model):
            raise ApiError(400, f"model: {model_id} does not generate images from text")
        schema = schema_of(model)
        problem = validate_params(body, schema)
        if problem:
            raise ApiError(400, problem)
        params = apply_defaults(body, schema)
        rf = body.get("response_format") or "url"
        if rf not in RESPONSE_FORMATS:
            raise ApiError(400, f"response_format: {rf!r} is not one of: url, b64_json")
        if self.hub.result_shape == "image_url":
            rf = "url"
        fmt = params.get("output_format", "png")
        size = output_size(schema, params, None) or (1024, 1024)
        self._rec.output_size = size
        self._rec.output_format = fmt
        self.hub._sleep(self.hub.delay)

        def render(i: int) -> tuple[dict[str, Any], str | None]:
            data = img.encode(img.render_generated(size, i), fmt)
            if rf == "b64_json":
                return {"b64_json": base64.b64encode(data).decode("ascii")}, None
            url = self.hub._store_result(data, fmt)
            return {"url": url}, url

        count = (
            int(params.get("num_images", 1)) if "num_images" in schema.get("properties", {}) else 1
        )
        self._reply_with_results(str(model_id), str(params.get("prompt")), count, render)
