-- The claims as the compensation engine reads them (rules/sql.ts COMPENSATION_INPUT_COLUMNS):
-- facility facts from the registry (unknown facility → NULL level → payout 0), enrolment in
-- the claim's scheme year, and the household's enrolled members that year.
-- opening_carry is left NULL here: household-account carry-over between years is computed
-- by the caller year by year.
CREATE VIEW compensation_input AS
SELECT c.claim_id, c.person_id, c.visit_type, c.discharge_date, c.total_cost, c.eligible_cost,
       f.level, f.in_county, f.designated, c.referral, c.single_disease_code,
       e.person_id IS NOT NULL AS enrolled, e.household_id, hh.members AS household_members,
       NULL::DECIMAL(18,2) AS opening_carry, c.scheme_year, c.reimbursed
FROM claims c
LEFT JOIN facilities f USING (facility_code)
LEFT JOIN enrollment e ON e.year = c.scheme_year AND e.person_id = c.person_id
LEFT JOIN (SELECT year, household_id, count(*) AS members FROM enrollment GROUP BY ALL) hh
       ON hh.year = c.scheme_year AND hh.household_id = e.household_id;
