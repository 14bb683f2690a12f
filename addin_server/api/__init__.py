"""The /api/v1 blueprint: thin routes over the review service."""

from __future__ import annotations

from flask import jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint

from .. import service
from .errors import ApiError
from .schemas import ErrorResponse, ReviewRequest, ReviewResponse

blp = Blueprint("api", __name__, url_prefix="/api/v1", description="Contract review for IP and AI-training risk")


@blp.before_request
def _require_json():
    if request.method == "POST" and request.endpoint == "api.Review" and not request.is_json:
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


@blp.route("/playbook")
class PlaybookCatalog(MethodView):
    @blp.response(200, description="The rule catalog, generated from the playbook data files.")
    def get(self):
        """The playbook: every rule, its positions and examples."""
        return jsonify(service.catalog())
