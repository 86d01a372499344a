-- The compensation input is built per scheme year by @ncms/analytics (compensationInputSql),
-- with the year filter inside every join; the all-years view made each year pay for all.
DROP VIEW compensation_input;
