"""Component IDs, one namespace per page, so a typo is an AttributeError rather than a silent no-op."""


class Shell:
    LOCATION = "shell-location"
    HEADER = "shell-header"
    FOOTER = "shell-footer"
    SKIP = "shell-skip"
    NAV = "shell-nav"
    LANGUAGE = "shell-language"
    LANGUAGE_APPLIED = "shell-language-applied"


class Atlas:
    LOCATION = "atlas-location"
    STATE = "atlas-state"
    RENDERED_LEVEL = "atlas-rendered-level"

    SECTORS = "atlas-sectors"
    COUNTRIES = "atlas-countries"
    PERIOD = "atlas-period"
    LEVEL = "atlas-level"
    METRIC = "atlas-metric"
    MOUNTAIN = "atlas-mountain"
    LANDSCAPE = "atlas-landscape"
    ORG_TYPES = "atlas-org-types"
    SEARCH = "atlas-search"
    PARTNERS = "atlas-partners"
    COMPARE = "atlas-compare"
    RESET = "atlas-reset"
    FILTERS_TOGGLE = "atlas-filters-toggle"

    SUMMARY = "atlas-summary"
    MAP = "atlas-map"
    REGION_CARD = "atlas-region-card"
    CLUSTER_CARD = "atlas-cluster-card"
    TOP_REGIONS = "atlas-top-regions"
    COUNTRY_MIX = "atlas-country-mix"
    COMPARISON = "atlas-comparison"
    PORTFOLIO = "atlas-portfolio"
    TABLE = "atlas-table"
    DOWNLOAD_CSV = "atlas-download-csv"
    DOWNLOAD_GEOJSON = "atlas-download-geojson"
    DOWNLOAD = "atlas-download"
