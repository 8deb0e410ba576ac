"""Tools → Import (admins): upload a WordPress export, watch it run in the
background, read its summary. The runs are :mod:`blog.importing.runs`'."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.routing import BuildError

from blog.errors import FieldError
from blog.extensions import csrf
from blog.forms.importing import ACCEPT, ImportForm
from blog.importing.runs import (
    RunStatus,
    max_upload_bytes,
    recent_runs,
    run_status,
    start_import,
)

bp = Blueprint("importing", __name__, url_prefix="/import")

#: The command that also imports the media library's files.
COMMAND = "flask --app blog import wordpress FILE.xml --uploads DIR"


@bp.route("/", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, after the larger limit is set
def index() -> ResponseReturnValue:
    limit = max_upload_bytes()
    request.max_content_length = limit  # this route only: exports are large
    if request.method == "POST" and (request.content_length or 0) > limit:
        form = ImportForm(formdata=None)
        form.file.errors = [f"The file is larger than {_megabytes(limit)}."]
        return _index_page(form, limit), 413
    form = ImportForm()
    if form.validate_on_submit() and (upload := form.upload()):
        stream, filename = upload
        try:
            run = start_import(current_user, stream, filename, form.options())
        except FieldError as error:
            form.file.errors = [str(error)]
            return _index_page(form, limit), 409
        return redirect(url_for(".run", run_id=run.id), 303)
    return _index_page(form, limit)


def _index_page(form: ImportForm, limit: int) -> str:
    return render_template(
        "dashboard/tools/import/index.html",
        form=form,
        accept=ACCEPT,
        limit=_megabytes(limit),
        command=COMMAND,
        runs=recent_runs(),
    )


@bp.get("/<int:run_id>/")
def run(run_id: int) -> ResponseReturnValue:
    status = _load(run_id)
    page = render_template(
        "dashboard/tools/import/run.html",
        run=status,
        redirects_url=_redirects_url(),
    )
    return page, 200, {"Cache-Control": "no-store"}


@bp.get("/<int:run_id>.json")
def run_json(run_id: int) -> ResponseReturnValue:
    """The run's progress, for the page's script."""
    response = jsonify(_load(run_id).to_json())
    response.headers["Cache-Control"] = "no-store"
    return response


def _load(run_id: int) -> RunStatus:
    return run_status(run_id) or abort(404)


def _redirects_url() -> str:
    try:
        return url_for("dashboard.tools.redirects.index")
    except BuildError:  # Tools → Redirects not installed yet
        return "/dashboard/tools/redirects/"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"
