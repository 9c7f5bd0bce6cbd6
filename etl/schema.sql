-- valuechain database schema: one file, built fresh by `python -m etl build`.
-- Every reference row carries `source` (ids in the `sources` table); generated rows say 'sample'.

CREATE TABLE sources (
    source_id VARCHAR PRIMARY KEY,
    citation  VARCHAR NOT NULL,
    url       VARCHAR
);

CREATE TABLE states (
    cve_ent    VARCHAR PRIMARY KEY CHECK (regexp_full_match(cve_ent, '(0[1-9]|[12][0-9]|3[0-2])')),
    name_inegi VARCHAR NOT NULL,
    name_short VARCHAR NOT NULL,
    iso_3166_2 VARCHAR NOT NULL UNIQUE,
    source     VARCHAR NOT NULL
);

CREATE TABLE state_shapes (
    cve_ent  VARCHAR PRIMARY KEY REFERENCES states (cve_ent),
    geojson  VARCHAR NOT NULL,          -- one GeoJSON geometry, exterior rings counter-clockwise
    centroid_lat DOUBLE NOT NULL,
    centroid_lon DOUBLE NOT NULL,
    source   VARCHAR NOT NULL
);

-- Every municipality of INEGI's 2020 frame (name, code, centroid), and its simplified boundary.
CREATE TABLE municipalities_inegi (
    cvegeo  VARCHAR PRIMARY KEY,        -- cve_ent || cve_mun
    cve_ent VARCHAR NOT NULL,
    cve_mun VARCHAR NOT NULL,
    name    VARCHAR NOT NULL,
    lat     DOUBLE NOT NULL,
    lon     DOUBLE NOT NULL,
    source  VARCHAR NOT NULL
);

CREATE TABLE municipality_shapes (
    cvegeo  VARCHAR PRIMARY KEY,
    geojson VARCHAR NOT NULL,
    source  VARCHAR NOT NULL
);

CREATE TABLE municipalities (
    cve_ent       VARCHAR NOT NULL REFERENCES states (cve_ent),
    cve_mun       VARCHAR CHECK (cve_mun IS NULL OR regexp_full_match(cve_mun, '[0-9]{3}')),
    name          VARCHAR NOT NULL,
    lat           DOUBLE NOT NULL,
    lon           DOUBLE NOT NULL,
    coord_quality VARCHAR NOT NULL,
    named_in      VARCHAR,
    source        VARCHAR NOT NULL,
    PRIMARY KEY (cve_ent, name)
);

CREATE TABLE scian (
    code             VARCHAR PRIMARY KEY,
    level            VARCHAR NOT NULL,
    name_es          VARCHAR NOT NULL,
    name_en          VARCHAR NOT NULL,     -- our English rendering of the INEGI name
    value_chain_role VARCHAR,
    source           VARCHAR NOT NULL
);

CREATE TABLE processes (
    process_id VARCHAR PRIMARY KEY,
    name_es    VARCHAR NOT NULL,
    name_en    VARCHAR NOT NULL,
    scian_code VARCHAR REFERENCES scian (code),
    tier1_core BOOLEAN NOT NULL,        -- among the processes that make up most Tier 1 demand
    source     VARCHAR NOT NULL
);

CREATE TABLE clusters (
    cluster_id    VARCHAR PRIMARY KEY,
    kind          VARCHAR NOT NULL CHECK (kind IN ('member', 'network', 'partner')),
    name          VARCHAR NOT NULL,
    acronym       VARCHAR,
    short_name    VARCHAR NOT NULL UNIQUE,  -- the one short name every page, chart and export uses
    country       VARCHAR NOT NULL,
    hq_city_es    VARCHAR,
    hq_city_en    VARCHAR,
    hq_confidence VARCHAR,
    founded       INTEGER,
    founded_note  VARCHAR,
    members_reported      INTEGER,      -- lower bound of the figure as reported
    members_reported_es   VARCHAR,      -- the figure's wording, in Spanish and in English
    members_reported_en   VARCHAR,
    members_year          INTEGER,
    redcam_member_confidence VARCHAR,
    source        VARCHAR NOT NULL
);

CREATE TABLE cluster_states (
    cluster_id VARCHAR NOT NULL REFERENCES clusters (cluster_id),
    cve_ent    VARCHAR NOT NULL REFERENCES states (cve_ent),
    note       VARCHAR,
    source     VARCHAR NOT NULL,
    PRIMARY KEY (cluster_id, cve_ent)
);

CREATE TABLE cluster_labels (
    cluster_id VARCHAR NOT NULL REFERENCES clusters (cluster_id),
    label      VARCHAR NOT NULL,
    level      VARCHAR NOT NULL,
    year       INTEGER,
    note       VARCHAR,
    source     VARCHAR NOT NULL
);

CREATE TABLE network_facts (
    fact_id VARCHAR PRIMARY KEY,
    subject VARCHAR NOT NULL REFERENCES clusters (cluster_id),
    fact_es VARCHAR NOT NULL,
    fact_en VARCHAR NOT NULL,
    value     VARCHAR,
    year      INTEGER,
    year_note_es VARCHAR,               -- e.g. "undated in the source": the date is the article's, not the figure's
    year_note_en VARCHAR,
    source    VARCHAR NOT NULL
);

CREATE TABLE plants (
    plant_id       VARCHAR PRIMARY KEY,
    company        VARCHAR NOT NULL,
    brands         VARCHAR NOT NULL,
    plant_name     VARCHAR NOT NULL,
    municipality   VARCHAR NOT NULL,
    cve_ent        VARCHAR NOT NULL REFERENCES states (cve_ent),
    segment        VARCHAR NOT NULL,
    vehicle_class  VARCHAR NOT NULL CHECK (vehicle_class IN ('light', 'heavy')),
    start_year     INTEGER,
    start_note     VARCHAR,
    status         VARCHAR NOT NULL CHECK (status IN ('operating', 'closing', 'closed', 'paused', 'unclear')),
    status_date    VARCHAR,
    status_note    VARCHAR,
    products       VARCHAR,
    capacity_units INTEGER,
    capacity_note  VARCHAR,
    lat            DOUBLE,
    lon            DOUBLE,
    coord_quality  VARCHAR NOT NULL CHECK (coord_quality IN ('approx_uncited', 'denue', 'surveyed', 'none')),
    source         VARCHAR NOT NULL
);

CREATE TABLE corridors (
    corridor_id     VARCHAR PRIMARY KEY,
    name_es         VARCHAR NOT NULL,
    name_en         VARCHAR NOT NULL,
    level           VARCHAR NOT NULL CHECK (level IN ('state', 'municipal')),
    geometry_method VARCHAR NOT NULL,
    color           VARCHAR NOT NULL,   -- the corridor's colour on every map, whatever the filter
    source          VARCHAR NOT NULL
);

CREATE TABLE corridor_states (
    corridor_id VARCHAR NOT NULL REFERENCES corridors (corridor_id),
    cve_ent     VARCHAR NOT NULL REFERENCES states (cve_ent),
    optional    BOOLEAN NOT NULL,
    source      VARCHAR NOT NULL,
    PRIMARY KEY (corridor_id, cve_ent)
);

CREATE TABLE corridor_municipalities (
    corridor_id VARCHAR NOT NULL REFERENCES corridors (corridor_id),
    cve_ent     VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,
    PRIMARY KEY (corridor_id, cve_ent, name),
    FOREIGN KEY (cve_ent, name) REFERENCES municipalities (cve_ent, name)
);

CREATE TABLE corridor_shapes (
    corridor_id   VARCHAR NOT NULL REFERENCES corridors (corridor_id),
    with_optional BOOLEAN NOT NULL,
    geojson       VARCHAR NOT NULL,
    PRIMARY KEY (corridor_id, with_optional)
);

CREATE TABLE denue_strata (
    stratum_id    INTEGER PRIMARY KEY,
    per_ocu       VARCHAR NOT NULL UNIQUE,
    employees_min INTEGER NOT NULL,
    employees_max INTEGER,
    employees_mid DOUBLE NOT NULL,      -- the stratum's midpoint: an estimate of staff (251+ counts as 251)
    source        VARCHAR NOT NULL
);

-- Members are bulk-loaded (up to millions of rows). Their keys (unique member_id, known cluster_id
-- and cve_ent) are enforced by the validator and a post-load check in etl/build.py: at a million
-- rows that costs a fraction of maintaining a primary-key index and foreign-key lookups on insert.
-- Places in the value chain, in order; `spellings` are the lower-case forms a member file may use.
CREATE TABLE tiers (
    tier_id   VARCHAR PRIMARY KEY,
    position  INTEGER NOT NULL UNIQUE,
    role      VARCHAR NOT NULL CHECK (role IN ('buyer', 'supplier', 'other')),
    name_es   VARCHAR NOT NULL,
    name_en   VARCHAR NOT NULL,
    spellings VARCHAR NOT NULL,
    source    VARCHAR NOT NULL
);

-- The corridor of every place (state, municipality) that members, plants or DENUE rows name,
-- computed once by the build; `optional` marks places inside only an optional extension.
CREATE TABLE place_corridors (
    cve_ent      VARCHAR NOT NULL,
    municipality VARCHAR NOT NULL,      -- '' where the row names no municipality
    corridor_id  VARCHAR,               -- NULL outside every corridor
    optional     BOOLEAN NOT NULL,
    PRIMARY KEY (cve_ent, municipality)
);

-- members: created from the declared member columns (valuechain/member_columns.py, etl.members.create_table).

-- The monthly HR survey (bulk-loaded: its key is kept by the loader, not by an index that would slow the load).
CREATE TABLE hr_survey (
    member_id       VARCHAR NOT NULL,
    period          VARCHAR NOT NULL,   -- YYYY-MM (checked by the validator)
    employees_start BIGINT NOT NULL CHECK (employees_start >= 0),
    employees_end   BIGINT NOT NULL CHECK (employees_end >= 0),
    hires           BIGINT NOT NULL CHECK (hires >= 0),
    separations     BIGINT NOT NULL CHECK (separations >= 0),
    quits           BIGINT CHECK (quits IS NULL OR quits BETWEEN 0 AND separations),
    training_hours  DOUBLE CHECK (training_hours IS NULL OR training_hours >= 0),
    source          VARCHAR NOT NULL    -- 'sample' for the generated survey, else the input file name
);  -- one row per member and month: the validator refuses a member-month twice in a file, a later file replaces

-- The member lists of earlier member loads, one snapshot per load (for "what changed" between any two
-- loads); empty when there was none or it was sample data.
CREATE TABLE members_previous (
    member_id    VARCHAR NOT NULL,
    cluster_id   VARCHAR NOT NULL,
    tier         VARCHAR NOT NULL,
    cve_ent      VARCHAR NOT NULL,
    municipality VARCHAR,
    processes    VARCHAR[] NOT NULL,
    loaded_at    VARCHAR,               -- when that list was loaded
    snapshot     INTEGER NOT NULL       -- 1 for the oldest load kept, then 2, 3, …
);

CREATE TABLE denue_establishments (
    denue_id      VARCHAR NOT NULL,     -- INEGI's stable id: the same establishment in every edition
    clee          VARCHAR,
    name          VARCHAR NOT NULL,
    legal_name    VARCHAR,
    scian_code    VARCHAR NOT NULL,
    scian_name    VARCHAR,
    per_ocu       VARCHAR,
    employees_min INTEGER,
    employees_max INTEGER,
    cve_ent       VARCHAR NOT NULL,     -- a state code 01-32: checked on import (a key would slow the bulk load)
    cve_mun       VARCHAR,
    municipality  VARCHAR,
    lat           DOUBLE,
    lon           DOUBLE,
    fecha_alta    VARCHAR,
    phone         VARCHAR,              -- DENUE's telefono, correoelec and www, as published (never generated)
    email         VARCHAR,
    website       VARCHAR,
    source        VARCHAR NOT NULL,     -- the DENUE file it came from, or 'sample'
    edition       VARCHAR NOT NULL      -- YYYY-MM of the DENUE edition
    -- (edition, denue_id) is unique: the import refuses a repeated id or edition (an index would slow the bulk load)
);

-- Every manufacturing establishment (SCIAN 31-33) of an edition, counted per municipality, with the
-- estimated employment (the sum of the strata midpoints): the denominators of the location quotients.
CREATE TABLE denue_totals (
    edition        VARCHAR NOT NULL,
    cve_ent        VARCHAR NOT NULL,
    cve_mun        VARCHAR,             -- NULL: the rest of the state (no municipal detail)
    municipality   VARCHAR,
    establishments BIGINT NOT NULL,
    employment_est DOUBLE NOT NULL,
    source         VARCHAR NOT NULL
);

CREATE TABLE denue_editions (
    edition VARCHAR NOT NULL,
    source  VARCHAR NOT NULL,           -- file name, or 'sample'
    rows    BIGINT NOT NULL             -- manufacturing rows read
);

-- Rules of origin. confidence: V official text, S secondary source only, U unconfirmed.
CREATE TABLE rvc_thresholds (
    regime         VARCHAR NOT NULL CHECK (regime IN ('NAFTA', 'USMCA')),
    good           VARCHAR NOT NULL CHECK (good IN ('passenger_vehicle', 'light_truck', 'heavy_truck',
                                                    'core_part', 'principal_part', 'complementary_part')),
    method         VARCHAR NOT NULL CHECK (method IN ('net_cost', 'transaction_value')),
    effective_date DATE NOT NULL,
    threshold_pct  DOUBLE NOT NULL CHECK (threshold_pct BETWEEN 0 AND 100),
    confidence     VARCHAR NOT NULL CHECK (confidence IN ('V', 'S', 'U')),
    note           VARCHAR,
    source         VARCHAR NOT NULL,
    PRIMARY KEY (regime, good, method, effective_date)
);

CREATE TABLE lvc_requirements (
    good                VARCHAR NOT NULL,
    effective_date      DATE NOT NULL,
    lvc_total_pct       DOUBLE NOT NULL,
    hwmm_floor_pct      DOUBLE NOT NULL,
    tech_credit_cap     DOUBLE NOT NULL,
    assembly_credit_cap DOUBLE NOT NULL,
    confidence          VARCHAR NOT NULL CHECK (confidence IN ('V', 'S', 'U')),
    note                VARCHAR,
    source              VARCHAR NOT NULL,
    PRIMARY KEY (good, effective_date)
);

CREATE TABLE steel_aluminum_requirements (
    effective_date                DATE PRIMARY KEY,
    min_originating_purchases_pct DOUBLE NOT NULL,
    applies_to                    VARCHAR NOT NULL,
    confidence                    VARCHAR NOT NULL CHECK (confidence IN ('V', 'S', 'U')),
    note                          VARCHAR,
    source                        VARCHAR NOT NULL
);

-- Section 232 duties on vehicles (US), from the date each proclamation applied.
CREATE TABLE section_232 (
    good              VARCHAR NOT NULL,
    effective_date    DATE NOT NULL,
    rate_pct          DOUBLE NOT NULL,
    us_content_relief BOOLEAN NOT NULL,   -- a USMCA-qualifying vehicle pays on its non-US content only
    confidence        VARCHAR NOT NULL CHECK (confidence IN ('V', 'S', 'U')),
    note              VARCHAR,
    source            VARCHAR NOT NULL,
    PRIMARY KEY (good, effective_date)
);

-- Example vehicles as systems: cost shares (cited or labelled assumption) and a default origin mix
-- (an assumption, calibrated on where Mexico's auto-part imports come from), with the processes
-- that supply each system so the USMCA page can join to members.
CREATE TABLE bom_archetypes (
    archetype     VARCHAR NOT NULL,
    system        VARCHAR NOT NULL,
    category      VARCHAR NOT NULL CHECK (category IN ('core', 'principal', 'complementary', 'other')),
    share_pct     DOUBLE NOT NULL CHECK (share_pct BETWEEN 0 AND 100),
    share_basis   VARCHAR NOT NULL,
    share_source  VARCHAR NOT NULL,
    mx_pct        DOUBLE NOT NULL,
    us_pct        DOUBLE NOT NULL,
    ca_pct        DOUBLE NOT NULL,
    asia_pct      DOUBLE NOT NULL,
    europe_pct    DOUBLE NOT NULL,
    origin_basis  VARCHAR NOT NULL,
    origin_source VARCHAR NOT NULL,
    -- bought in the region is not originating: the share of the regional value that is originating
    originating_pct    DOUBLE NOT NULL CHECK (originating_pct BETWEEN 0 AND 100),
    originating_basis  VARCHAR NOT NULL,
    originating_source VARCHAR NOT NULL,
    processes     VARCHAR,
    in_net_cost   BOOLEAN NOT NULL,
    PRIMARY KEY (archetype, system),
    CHECK (mx_pct + us_pct + ca_pct + asia_pct + europe_pct = 100)
);

-- The example vehicles themselves: the good each one is, and its default net cost (a labelled assumption).
-- Adjacent, non-automotive SCIAN classes whose plants could be certified for automotive work, with the
-- processes they could take on and why (a labelled project judgement); DENUE keeps their establishments.
CREATE TABLE convertible_classes (
    scian_code   VARCHAR PRIMARY KEY,
    name_es      VARCHAR NOT NULL,
    name_en      VARCHAR NOT NULL,
    processes    VARCHAR NOT NULL,      -- process ids separated by ';'
    rationale_es VARCHAR NOT NULL,
    rationale_en VARCHAR NOT NULL,
    source       VARCHAR NOT NULL
);

CREATE TABLE bom_archetype_vehicles (
    archetype      VARCHAR PRIMARY KEY,
    good           VARCHAR NOT NULL CHECK (good IN ('passenger_vehicle', 'light_truck', 'heavy_truck')),
    net_cost_usd   DOUBLE NOT NULL CHECK (net_cost_usd > 0),
    net_cost_basis VARCHAR NOT NULL,
    source         VARCHAR NOT NULL
);

CREATE TABLE load_log (
    logged_at VARCHAR NOT NULL,         -- ISO 8601, UTC
    action    VARCHAR NOT NULL,         -- build, import-members, import-denue
    file      VARCHAR,
    sha256    VARCHAR,
    rows      BIGINT,
    outcome   VARCHAR NOT NULL CHECK (outcome IN ('ok', 'rejected', 'failed')),
    message   VARCHAR
);

CREATE TABLE build_info (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
