-- id: preview
-- kind: deep-dive
-- title: A first look at the records
-- description: The playbook's preview: the first records of the table (LIMIT 1000).
-- needs:
-- param: limit int 1000 rows to return
SELECT {{columns}}
FROM {{flows}}
WHERE {{filter}}
LIMIT {{$limit}}
