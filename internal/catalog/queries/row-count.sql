-- id: row-count
-- kind: deep-dive
-- title: How many records the case holds
-- description: The playbook's first check: the number of records (in the filter window).
-- needs:
SELECT count(*) AS records
FROM {{flows}}
WHERE {{filter}}
