"""Trash, Restore and Delete Permanently, shared by every kind of post."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from blog.models import Post
from blog.posts import delete_post, restore_post, trash_post


def add_trash_routes(bp: Blueprint, load: Callable[[int], Post], noun: str) -> None:
    """Register ``trash``, ``restore`` and ``delete`` POST routes on ``bp``.

    :param load: returns the post the current user may edit, or aborts.
    :param noun: "Post" or "Event", for the messages.
    """

    @bp.post("/<int:post_id>/trash")
    def trash(post_id: int) -> ResponseReturnValue:
        trash_post(current_user, load(post_id))
        flash(f"{noun} moved to the Trash.", "success")
        return redirect(url_for(".index"))

    @bp.post("/<int:post_id>/restore")
    def restore(post_id: int) -> ResponseReturnValue:
        restore_post(current_user, load(post_id))
        flash(f"{noun} restored as a draft.", "success")
        return redirect(url_for(".index", status="trash"))

    @bp.post("/<int:post_id>/delete")
    def delete(post_id: int) -> ResponseReturnValue:
        delete_post(current_user, load(post_id))
        flash(f"{noun} deleted permanently.", "success")
        return redirect(url_for(".index", status="trash"))
