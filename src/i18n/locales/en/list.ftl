# The list of signatories: search, pages, and a letter's figures.

list-count-listed = { $count ->
        [0] No names listed
        [one] { $display } name listed
       *[other] { $display } names listed
    }
list-count-only = { $count ->
        [0] no signatures counted without a name
        [one] { $display } signature counted without a name
       *[other] { $display } signatures counted without a name
    }
stats-link = Who signed, at a glance

search-label = Find a name
search-hint = A name or a title, or the start of a word (at least two letters). Capitals and accents do not matter.
search-button = Search
search-clear = Back to the whole list
search-results-heading = Results for “{ $query }”
search-none = No listed signatory matches this search.
search-too-short = Type at least two letters or digits to search.
search-busy = Too many searches from your connection. Try again in { $seconds ->
        [one] { $seconds } second
       *[other] { $seconds } seconds
    }: your search is still in the box.
search-too-long = The search is too long: at most 100 characters and 6 words.

list-order-label = Order of the list
list-order-signed = In signing order
list-order-name = By surname
initials-label = Jump to a letter
initials-intro = By surname, from the letter:
previous-page = Previous page
last-page = Last page

stats-heading = Who signed, at a glance
stats-intro = Figures as of { $time }:
stats-count = { $count ->
        [0] no signatures
        [one] { $display } confirmed signature
       *[other] { $display } confirmed signatures
    }
stats-privacy = Signatures counted without a name are in these figures; no name appears in them.
stats-regions-heading = By region
stats-regions-hint = From the city or region each signer gave, matched to Quebec’s 17 administrative regions.
stats-regions-desc = Bar chart of signatures by region (total: { $total }). The most: { $top }. The table that follows gives every figure.
stats-days-heading = By day
stats-days-desc = Bar chart of signatures by day. First day: { $first }; last day: { $last }. The busiest day: { $busiest } ({ $most }). The table by day gives every figure.
stats-days-none = No signatures yet.
stats-days-table = The table by day
stats-col-region = Region
stats-col-day = Day
stats-col-count = Signatures
stats-total = Total
stats-earlier = Before
stats-region-other = Elsewhere
stats-region-not-given = Not given

region-01 = Bas-Saint-Laurent
region-02 = Saguenay–Lac-Saint-Jean
region-03 = Capitale-Nationale
region-04 = Mauricie
region-05 = Estrie
region-06 = Montréal
region-07 = Outaouais
region-08 = Abitibi-Témiscamingue
region-09 = Côte-Nord
region-10 = Nord-du-Québec
region-11 = Gaspésie–Îles-de-la-Madeleine
region-12 = Chaudière-Appalaches
region-13 = Laval
region-14 = Lanaudière
region-15 = Laurentides
region-16 = Montérégie
region-17 = Centre-du-Québec
