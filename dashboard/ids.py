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
    #: What the map was sent: the level on screen and a digest of every trace property sent (``update_map``).
    MAP_SENT = "atlas-map-sent"
    #: Which lazily computed sections are on screen (written by ``assets/lazy_views.js``) ...
    VISIBLE_VIEWS = "atlas-visible-views"
    #: ... and which view state each section last rendered, so it renders once when it comes into view.
    RENDERED_VIEWS = "atlas-rendered-views"
    FOCUS = "atlas-focus"

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

    ROOT = "atlas-root"
    PRESENT = "atlas-present"
    STORY_START = "atlas-story-start"
    STORY_PREVIOUS = "atlas-story-previous"
    STORY_NEXT = "atlas-story-next"
    PRESENT_EXIT = "atlas-present-exit"
    PRESENT_BAR = "atlas-present-bar"
    FULLSCREEN = "atlas-fullscreen"
    BEFORE_PRESENT = "atlas-before-present"
    EXPORTS = "atlas-exports"
    MAP_TABLE = "atlas-map-table"
    MAP_TABLE_SUMMARY = "atlas-map-table-summary"
    MAP_TABLE_DETAILS = "atlas-map-table-details"

    SUMMARY = "atlas-summary"
    MAP = "atlas-map"
    MAP_LEGEND = "atlas-map-legend"
    MAP_PLACE = "atlas-map-place"
    PLACE_ITEM = "atlas-place-item"
    PLACE_CLOSE = "atlas-place-close"
    REGION_CARD = "atlas-region-card"
    CLUSTER_CARD = "atlas-cluster-card"
    TOP_REGIONS = "atlas-top-regions"
    COUNTRY_MIX = "atlas-country-mix"
    CHARTS_GRID = "atlas-charts-grid"
    COMPARISON = "atlas-comparison"
    PORTFOLIO = "atlas-portfolio"
    COMPARE_GRID = "atlas-compare-grid"
    TABLE = "atlas-table"
    TABLE_SLOT = "atlas-table-slot"
    DOWNLOAD_CSV = "atlas-download-csv"
    DOWNLOAD_GEOJSON = "atlas-download-geojson"
    DOWNLOAD = "atlas-download"


class Upload:
    """The visitor's own list on the atlas page (``dashboard/upload.py``, ``dashboard/upload_callbacks.py``)."""

    SECTION = "upload-section"
    INPUT = "upload-input"
    LIST = "upload-list"
    PROBLEMS = "upload-problems"
    STATUS = "upload-status"
    REFUSED = "upload-refused"
    REPORT = "upload-report"
    REPORT_DOWNLOAD = "upload-report-download"
    LIST_DOWNLOAD = "upload-list-download"
    CLEAR = "upload-clear"
    COUNTS = "upload-counts"
    LEGEND = "upload-legend"
    DRAWN = "upload-drawn"
    GATE = "upload-gate"
    MAP_GATE = "upload-map-gate"
    DOWNLOAD = "upload-download"


class LazyView:
    """Names of the page sections computed only while on screen: the ``data-view`` attribute in the layout."""
    CHARTS = "charts"
    COMPARE = "compare"
    TABLE = "table"
    MAP_TABLE = "map-table"
    EXPORTS = "exports"


class Partners:
    LOCATION = "partners-location"
    STATE = "partners-state"
    ROOT = "partners-root"

    ORGANISATION = "partners-organisation"
    SAME_COUNTRY = "partners-same-country"
    SUGGEST_SUMMARY = "partners-suggest-summary"
    PARTNER_MAP = "partners-partner-map"
    SUGGESTIONS = "partners-suggestions"

    SECTORS = "partners-sectors"
    ALPS4EU = "partners-alps4eu"
    COOP_MAP = "partners-coop-map"
    COOP_SUMMARY = "partners-coop-summary"
    GROUPS = "partners-groups"
    ARCS = "partners-arcs"
    EXPORT = "partners-export"

    LEVEL = "partners-level"
    REGION = "partners-region"
    PEERS_CROSS_BORDER = "partners-peers-cross-border"
    PEERS = "partners-peers"
    COMPARE_LINK = "partners-compare-link"
