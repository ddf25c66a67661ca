"""The content calendar, in the core's own terms: which posts, what a calendar shows, and a plan.

    selection.py  which posts: a period in the practice's zone, channels, states -> a PostQuery;
                  streamed reading
    model.py      what every calendar shows: the feed's states, a post's first words, the posts
                  of each day of a month grid, the counts by week and channel
    plan.py       a filled plan's rows -> ProposeRequests, or the reason a row cannot be used

Nothing here reads or writes a file: the workbooks (adapters/spreadsheets/) and the iCalendar feed
(adapters/ics.py) draw this model, and the plan's rows reach plan.py already read.
"""
