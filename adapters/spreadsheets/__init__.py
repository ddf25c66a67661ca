"""The content calendar in workbooks: one for people and auditors, and a plan to fill in and import.

    cells.py          one safe spreadsheet cell: plain text that cannot run, named styles
    calendar_xlsx.py  write_calendar(): the "Calendar", "Posts" and "Summary" sheets, streamed
    month_grid.py     the "Calendar" sheet: a month grid per month, posts colored by state
    summary_sheet.py  the "Summary" sheet: counts by week, channel and state
    plan_import.py    write_template() and import_plan(): a filled plan becomes proposals
    files.py          a path is written completely or not at all

Which posts (the selection), what the calendar shows (the model) and what a plan's row asks for
are the core's: bot/calendar/. The iCalendar feed is adapters/ics.py.
"""
