"""WTForms, one module per feature (``accounts``, ``posts``, ``events``,
``comments``, ``site``) and ``common`` for what they share. Import forms from
their module. Labels are contracts (DESIGN.md).

A form fills itself from what it edits (``for_post``, ``for_comment``,
``for_settings``) and turns into the service's input (``to_input``,
``to_submission``, ``values``); services' field errors come back through
:func:`blog.forms.common.show_errors`.
"""
