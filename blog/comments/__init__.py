"""Comments: the "Leave a Reply" form, threads, spam checking and moderation.

A comment's way from the form to moderation stays in this package:

- ``checks``: the form's timestamp and fields, flood and duplicate rules;
- ``submit``: save first, then check for spam;
- ``akismet``: the Akismet client; ``rules``: its verdict and the Discussion
  rules decide the status;
- ``states``: the state machine, its actions and their words, and the log;
- ``notify``: moderators' mail; ``moderation``: the dashboard's list and
  actions; ``jobs`` and ``cli``: recheck, purge, re-render;
- ``threads``: what readers see; ``awaiting``: a held comment shown to its
  author in the thread; ``permissions``: who moderates what;
- ``subscriptions`` and ``subscription_mail``: follow-up comments by email
  (double opt-in, one-click unsubscribe), and the approval notice;
- ``avatars``: commenters' pictures (a keyed hash, drawn here; Gravatar
  only when a site opts in);
- ``spam_stats`` and ``spam_chart``: the Spam panel's numbers and chart;
  ``undo``: taking a moderation action back;
- ``settings``: what the services need from the configuration.
"""

from blog.comments.checks import CommentInvalid, Submission
from blog.comments.settings import CommentSettings
from blog.comments.states import Action, TransitionRefused
from blog.comments.submit import (
    CommentError,
    CommentsClosed,
    Duplicate,
    Flooded,
    submit_comment,
)

__all__ = [
    "Action",
    "CommentError",
    "CommentInvalid",
    "CommentSettings",
    "CommentsClosed",
    "Duplicate",
    "Flooded",
    "Submission",
    "TransitionRefused",
    "submit_comment",
]
