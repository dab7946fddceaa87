"""The example queries a new user (or ``--demo``) sees in the editor."""

from __future__ import annotations

DEMO_QUERIES = """\
-- Welcome to HogQL Workbench. Put the cursor in a statement and press F5 (or ctrl+j).
-- F1 shows every key.

-- Top pages this week
select properties.$current_url as url, count() as views
from events
where event = '$pageview' and timestamp > now() - interval 7 day
group by url
order by views desc
limit 20;

-- Daily active users
select toDate(timestamp) as day, count(distinct person_id) as users
from events
group by day
order by day;

-- Browsers by share of pageviews
select properties.$browser as browser, count() as pageviews
from events
where event = '$pageview'
group by browser
order by pageviews desc;

-- A slow one, to try progress and Cancel (F9)
select count() from events as a cross join events as b;
"""
"""Statements separated by ``;`` so F5 runs the one under the cursor."""

NEW_TAB_TEXT = "select event, count() from events group by event order by count() desc\n"
"""What a fresh tab starts with."""
