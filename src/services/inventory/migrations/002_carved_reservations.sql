-- A hold carved from another reservation (a flash sale's allocation): its units came out of that
-- reservation, not off the shelf, so `reserved` did not change when it was made, and they go back
-- there when it is released while the allocation still holds.
alter table inventory.reservations add column carved_from uuid references inventory.reservations (id);

-- an allocation's line drains to 0 as orders carve from it (and fills again when their holds are released)
alter table inventory.reservation_lines drop constraint reservation_lines_quantity_positive;
alter table inventory.reservation_lines add constraint reservation_lines_quantity_non_negative check (quantity >= 0);
