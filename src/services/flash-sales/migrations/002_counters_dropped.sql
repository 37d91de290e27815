-- set once an ended sale's counters were dropped from the counter store: its last reservation was
-- settled (no held or ordered rows left), so nothing will ask the counters about it again
alter table flash_sales.sales add column counters_dropped_at timestamptz;
