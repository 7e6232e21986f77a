# La liste des signataires : recherche, pages, et les chiffres d’une lettre.

list-count-listed = { $count ->
        [0] Aucun nom affiché
        [one] { $display } nom affiché
       *[other] { $display } noms affichés
    }
list-count-only = { $count ->
        [0] aucune signature comptée sans nom
        [one] { $display } signature comptée sans nom
       *[other] { $display } signatures comptées sans nom
    }
stats-link = Qui a signé, en un coup d’œil

search-label = Chercher un nom
search-hint = Un nom ou un titre, ou le début d’un mot (au moins deux lettres). Majuscules et accents ne comptent pas.
search-button = Chercher
search-clear = Revenir à la liste complète
search-results-heading = Résultats pour « { $query } »
search-none = Aucun signataire affiché ne correspond à cette recherche.
search-too-short = Tapez au moins deux lettres ou chiffres pour chercher.
search-busy = Trop de recherches depuis votre connexion. Réessayez dans { $seconds ->
        [one] { $seconds } seconde
       *[other] { $seconds } secondes
    } : votre recherche est toujours dans la case.
search-too-long = La recherche est trop longue : au plus 100 caractères et 6 mots.

list-order-label = Ordre de la liste
list-order-signed = Dans l’ordre des signatures
list-order-name = Par nom de famille
initials-label = Aller à une lettre
initials-intro = Par nom de famille, à partir de la lettre :
previous-page = Page précédente
last-page = Dernière page

stats-heading = Qui a signé, en un coup d’œil
stats-intro = Chiffres en date du { $time } :
stats-count = { $count ->
        [0] aucune signature
        [one] { $display } signature confirmée
       *[other] { $display } signatures confirmées
    }
stats-privacy = Les signatures comptées sans nom affiché sont dans ces chiffres ; aucun nom n’y paraît.
stats-regions-heading = Par région
stats-regions-hint = D’après la ville ou la région donnée par chaque signataire, rapportée aux 17 régions administratives du Québec.
stats-regions-desc = Diagramme à barres des signatures par région (total : { $total }). Les plus nombreuses : { $top }. Le tableau qui suit donne tous les chiffres.
stats-days-heading = Par jour
stats-days-desc = Diagramme à barres des signatures par jour. Premier jour : { $first } ; dernier jour : { $last }. Le jour le plus fort : { $busiest } ({ $most }). Le tableau par jour donne tous les chiffres.
stats-days-none = Pas encore de signature.
stats-days-table = Le tableau par jour
stats-col-region = Région
stats-col-day = Jour
stats-col-count = Signatures
stats-total = Total
stats-earlier = Avant
stats-region-other = Ailleurs
stats-region-not-given = Non précisé

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
