-- The id of the key (from the site's secret) that derived a confirmation
-- link's manage and withdrawal links (src/domain/link_key.rs). The page
-- after confirming recomputes that pair instead of storing a new one, when
-- the id is the site's key's today. NULL for every other link.
ALTER TABLE tokens ADD COLUMN links_key BIGINT;
