create table dbtest.counters (
  id text primary key,
  value integer not null check (value >= 0)
);
insert into dbtest.counters (id, value) values ('a', 10), ('b', 0);
