-- title: Quarantined lines: nothing is dropped silently
SELECT regexp_extract(s.uri, '[^/]+$') AS object, q.line_no, coalesce(q.field, '-') AS field, q.reason
FROM quarantine q JOIN sources s USING (source_id)
ORDER BY s.uri, q.line_no;
