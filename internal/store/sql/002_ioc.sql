-- Schema 2: threat-intel lists and address enrichment (issue 4). Reserved; filled by that work.
SELECT 1;
