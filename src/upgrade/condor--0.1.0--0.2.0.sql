-- condor 0.1.0 -> 0.2.0.  ALTER EXTENSION condor UPDATE runs this; every change to the
-- SQL surface since 0.1.0 is here too, so an upgraded database equals a fresh 0.2.0 one
-- (test/parts: upgrade).
\echo Use "ALTER EXTENSION condor UPDATE TO '0.2.0'" to load this file. \quit
