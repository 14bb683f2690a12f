"""The /api/v1 blueprint: thin routes over the review service."""

from __future__ import annotations

import re

from flask import Response, current_app, jsonify, request
from marshmallow import ValidationError
from flask.views import MethodView
from flask_smorest import Blueprint
from webargs.core import missing
from webargs.flaskparser import FlaskParser, is_json_request

from .. import report, service
from . import jsonbody
from .errors import ApiError
from .schemas import (
    DocxReviewForm, ErrorResponse, OptionsIn, RedlineForm, ReportRequest, ReviewRequest, ReviewResponse,
    RoundLogRequest, RoundLogResponse,
)

class _Parser(FlaskParser):
    """webargs' parser with the API's own JSON reading: every malformed body is a named 400."""

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return missing
        try:
            return jsonbody.loads(req.get_data(cache=True))
        except jsonbody.JsonError as exc:
            raise ApiError(400, "bad_json", f"The request body is not valid JSON: {exc.message}.") from None


class _Blueprint(Blueprint):
    ARGUMENTS_PARSER = _Parser()


blp = _Blueprint("api", __name__, url_prefix="/api/v1", description="Contract review for IP and AI-training risk")


@blp.before_request
def _require_json():
    if request.method == "POST" and request.endpoint in ("api.Review", "api.RoundLogRoute", "api.Report") and not request.is_json:
        raise ApiError(415, "unsupported_media_type", "Send the review request as application/json.")


@blp.route("/review")
class Review(MethodView):
    @blp.arguments(ReviewRequest, location="json")
    @blp.response(200, ReviewResponse, description="Score, clauses, findings with tracked-change suggestions.")
    @blp.alt_response(413, schema=ErrorResponse, description="Body too large.")
    @blp.alt_response(422, schema=ErrorResponse, description="Invalid request; details name the field.")
    def post(self, body: dict):
        """Review a contract given as paragraphs."""
        return jsonify(service.review_request(body))


@blp.route("/round-log")
class RoundLogRoute(MethodView):
    @blp.arguments(RoundLogRequest, location="json")
    @blp.response(200, RoundLogResponse, description="The round log with this round added.")
    @blp.alt_response(422, schema=ErrorResponse, description="Invalid request; the message names the problem.")
    def post(self, body: dict):
        """Record the round the pane has just written: the document's round log with it added, to
        store in the document (the server keeps nothing)."""
        try:
            return jsonify(service.round_log_request(body))
        except ValueError as exc:
            raise ApiError(422, "validation_error", str(exc)) from None


@blp.route("/report")
class Report(MethodView):
    @blp.arguments(ReportRequest, location="json")
    @blp.response(200, description="The report: text/markdown, or application/pdf (an attachment).")
    @blp.alt_response(422, schema=ErrorResponse, description="Not a review response; the message says why.")
    @blp.alt_response(503, schema=ErrorResponse, description="PDF asked for and the server has no Unicode font.")
    def post(self, body: dict):
        """A shareable report of a review or a negotiation round, as Markdown or PDF. The server keeps
        nothing: the report is written from the review sent."""
        paragraphs = {p["id"]: p["text"] for p in body["paragraphs"]}
        try:
            data, media_type = report.render(body["review"], body["format"], title=body["title"], paragraphs=paragraphs)
        except report.FontMissing as exc:
            raise ApiError(503, "report_font_missing", str(exc)) from None
        except report.ReportError as exc:
            raise ApiError(422, "validation_error", str(exc)) from None
        name = "termscore-report." + ("pdf" if body["format"] == "pdf" else "md")
        return Response(data, mimetype=media_type.split(";")[0], content_type=media_type,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


@blp.route("/playbook")
class PlaybookCatalog(MethodView):
    @blp.response(200, description="The rule catalog, generated from the playbook data files.")
    def get(self):
        """The playbook: every rule, its positions and examples."""
        return jsonify(service.catalog())


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _upload() -> bytes:
    """The uploaded file's bytes, or a named 4xx."""
    if not request.mimetype.startswith("multipart/form-data"):
        raise ApiError(415, "unsupported_media_type", "Upload the .docx as multipart/form-data in a field named 'file'.")
    upload = request.files.get("file")
    if upload is None:
        raise ApiError(422, "validation_error", "No file: upload the .docx in a field named 'file'.",
                       {"form": {"file": ["Missing file."]}})
    limit = current_app.config["TERMSCORE"].max_upload_bytes
    data = upload.stream.read(limit + 1)
    if len(data) > limit:  # the file's own bytes; the body check leaves room for the multipart framing
        raise ApiError(413, "payload_too_large", f"The file is larger than {limit} bytes.", {"limit_bytes": limit})
    return data


def _json_field(name: str, default):
    raw = request.form.get(name)
    if raw is None or raw == "":
        return default
    try:
        return jsonbody.loads(raw)
    except jsonbody.JsonError as exc:
        raise ApiError(422, "validation_error", f"Form field '{name}' is not valid JSON: {exc.message}.",
                       {"form": {name: [f"Not valid JSON: {exc.message}."]}}) from None


def _options():
    from ..engine.review import Options

    raw = _json_field("options", {})
    if not isinstance(raw, dict):
        raise ApiError(422, "validation_error", "Form field 'options' must be a JSON object.")
    known = {k: v for k, v in raw.items() if k in OptionsIn._declared_fields}  # the pane may send more
    try:
        opts = OptionsIn().load(known)
    except ValidationError as exc:
        raise ApiError(422, "validation_error", "Invalid options.", {"form": {"options": exc.messages}}) from None
    extra = {k: v for k, v in raw.items() if k not in OptionsIn._declared_fields}
    return Options(agency_risk=opts["agency_risk"], project_name=opts.get("project_name") or None,
                   liquidated_damages=opts.get("liquidated_damages") or None, party=opts["party"]), extra


def _author() -> str:
    """The form's ``author``: the name our tracked changes are written under (default TermScore)."""
    from ..docx.writer import xml_incompatible

    author = (request.form.get("author") or "TermScore").strip()[:100] or "TermScore"
    if xml_incompatible(author):
        raise ApiError(422, "validation_error", "Form field 'author' contains control characters; send a plain name.",
                       {"form": {"author": ["Control characters are not allowed in the author name."]}})
    return author


def _docx_call(fn, *args, **kwargs):
    from ..docx import DocxError

    try:
        return fn(*args, **kwargs)
    except DocxError as exc:
        raise ApiError(exc.http_status, f"docx_{exc.code}", exc.message) from None
    except ValueError as exc:  # e.g. a document with no text
        raise ApiError(422, "validation_error", str(exc)) from None


@blp.route("/review/docx")
class ReviewDocx(MethodView):
    @blp.doc(requestBody={"content": {"multipart/form-data": {"schema": DocxReviewForm}}})
    @blp.response(200, ReviewResponse, description="The review, plus the paragraphs read from the file.")
    @blp.alt_response(413, schema=ErrorResponse, description="File too large, or a zip bomb.")
    @blp.alt_response(415, schema=ErrorResponse, description="Not a .docx (legacy .doc, .docm, encrypted, not a zip).")
    def post(self):
        """Review an uploaded .docx; paragraph ids are stable for the same file."""
        from ..docx_service import review_docx_bytes

        data = _upload()
        options, _ = _options()
        return jsonify(_docx_call(review_docx_bytes, data, options, current_app.config["TERMSCORE"], _author()))


@blp.route("/redline")
class Redline(MethodView):
    @blp.doc(requestBody={"content": {"multipart/form-data": {"schema": RedlineForm}}})
    @blp.response(200, description="The .docx with every chosen suggestion as a tracked change and comment.",
                  content_type=DOCX_TYPE)
    @blp.alt_response(413, schema=ErrorResponse, description="File too large, or a zip bomb.")
    @blp.alt_response(415, schema=ErrorResponse, description="Not a .docx.")
    def post(self):
        """Return the uploaded .docx redlined: real w:ins/w:del revisions and Word comments."""
        from ..docx_service import redline_docx_bytes

        data = _upload()
        options, extra = _options()
        findings = _json_field("findings", None)
        if findings is not None and not (isinstance(findings, list) and all(isinstance(x, str) for x in findings)):
            raise ApiError(422, "validation_error", "Form field 'findings' must be a JSON list of finding ids.")
        dismissed = extra.get("dismissed") or _json_field("dismissed", []) or []
        if not (isinstance(dismissed, list) and all(isinstance(x, str) for x in dismissed)):
            raise ApiError(422, "validation_error", "'dismissed' must be a JSON list of finding ids.")
        dismissed = set(dismissed)
        alternatives = extra.get("alternatives") or _json_field("alternatives", {}) or {}
        if not isinstance(alternatives, dict) or not all(isinstance(v, int) for v in alternatives.values()):
            raise ApiError(422, "validation_error", "'alternatives' must map finding ids to fallback indexes.")
        audience = request.form.get("comment_audience") or extra.get("comment_audience") or "counterparty"
        if audience not in {"counterparty", "internal"}:
            raise ApiError(422, "validation_error", "'comment_audience' must be 'counterparty' or 'internal'.")
        author = _author()
        ids = set(findings) if findings is not None else None
        out, report, result = _docx_call(redline_docx_bytes, data, options, author, ids, audience, alternatives,
                                         dismissed, current_app.config["TERMSCORE"])
        name = request.files["file"].filename or "contract.docx"
        stem = re.sub(r"[^\w.\- ]+", "_", name.rsplit(".", 1)[0])[:100] or "contract"
        response = Response(out, mimetype=DOCX_TYPE)
        response.headers["Content-Disposition"] = f'attachment; filename="{stem}-redlined.docx"'
        for status in ("applied", "commented", "skipped"):
            response.headers[f"X-Redline-{status.title()}"] = str(sum(1 for r in report if r["status"] == status))
        response.headers["X-Score"] = str(result["score"]["value"])
        response.headers["X-Round"] = str(result["negotiation"]["round"])
        return response
