"""The records UI: one-key bookmarks, the bookmarks dock, incidents, the camera registry, CSV, database problems.

Entry points for the main window: :class:`~camdesk.ui.records.bookmark_action.BookmarkAction`,
:class:`~camdesk.ui.records.bookmarks_dock.BookmarksDock`,
:class:`~camdesk.ui.records.incident_window.IncidentWindow`,
:class:`~camdesk.ui.records.registry_editor.RegistryEditor`,
:func:`~camdesk.ui.records.db_problem_dialog.open_store_with_recovery`.
"""
