"""The content calendar outside chat: a workbook for people and auditors, a plan to import, a feed.

    selection.py      which posts: a period, channels and states -> a PostQuery; streamed reading
    cells.py          one safe spreadsheet cell: plain text that cannot run, named styles
    calendar_xlsx.py  write_calendar(): the "Calendar", "Posts" and "Summary" sheets, streamed
    month_grid.py     the "Calendar" sheet: a month grid per month, posts colored by state
    summary_sheet.py  the "Summary" sheet: counts by week, channel and state
    plan_import.py    write_template() and import_plan(): a filled plan becomes proposals
    ics.py            write_ics(): an iCalendar (RFC 5545) feed of scheduled and published posts

Nothing here talks to chat or the database directly: adapters hand in posts (or a Workflow) and a
file or stream to write to.
"""
