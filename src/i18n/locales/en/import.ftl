# Importing signatures collected elsewhere from a CSV file.
csv-import = Import signatures from a CSV file
csv-import-hint = A Google Forms or spreadsheet export, in UTF-8, with a header row. You will then choose the columns and see a preview before importing.
csv-file = CSV file
csv-upload = Upload and preview
csv-column-none = (none)
csv-columns = Columns
csv-title-columns = Titles or affiliations (one column or several)
csv-titles = Titles
csv-city = City
csv-mode = How these signatures come in
csv-mode-confirm = By email: each person receives a confirmation link and counts once they have confirmed.
csv-mode-in-person = Collected in person: they count at once and are marked as such in your exports.
csv-evidence-hint = For signatures collected in person, say who collected them, when and how (for example: paper sheet, congress of 12 May).
csv-collected-by = Collected by
csv-collected-on = Date
csv-collected-how = How
csv-public = Show the names on the public list
csv-count-only = Count only, without showing the names
csv-file-read = File “{ $name }”: { $rows ->
    [one] one data row.
   *[other] { $rows } data rows.
}
csv-tally = { $new ->
    [one] One new signature
   *[other] { $new } new signatures
}, { $duplicates ->
    [one] one duplicate
   *[other] { $duplicates } duplicates
} and { $invalid ->
    [one] one row to fix
   *[other] { $invalid } rows to fix
}, out of { $rows ->
    [one] one row.
   *[other] { $rows } rows.
}
csv-line = Line
csv-fate = Result
csv-fate-new = New
csv-fate-twice = Duplicate of line { $line }
csv-fate-on-letter = Already signed
csv-fate-invalid = To fix
csv-problems = Rows to fix (they will not be imported)
csv-problems-more = { $n ->
    [one] … and one more row.
   *[other] … and { $n } more rows.
}
csv-import-button = { $n ->
    [one] Import one signature
   *[other] Import { $n } signatures
}
csv-another-file = Upload another file
csv-imported = The file “{ $name }” was imported on { $at }: { $n ->
    [one] one signature added.
   *[other] { $n } signatures added.
} Uploading it again will add nothing.
csv-error-no-file = Choose a CSV file.
csv-error-not-utf8 = This file is not UTF-8 (line { $line }). In your spreadsheet, save it as “CSV UTF-8”.
csv-error-empty = This file has no header row.
csv-error-too-many = This file is over the limit of { $max ->
    [one] one row
   *[other] { $max } rows
}; split it.
csv-error-unreadable = This file does not read as CSV from line { $line } (a quote left open?).
csv-error-date = The date must be a date (YYYY-MM-DD).
csv-error-future = The date cannot be in the future.
csv-error-email-required = Email address missing: each person must receive a confirmation link.
audit-csv-imported = Signatures imported from a CSV file
email-imported-intro = The organizers of the open letter “{ $title }” passed on your signature, collected on a form you filled in. For it to count, confirm it by opening this link:
export-collected = Collected in person ({ $how }), on { $on }, by { $by }
audit-line-csv-imported = { $who } imported { $n ->
    [one] { $n } signature
   *[other] { $n } signatures
  } from the file “{ $file }” ({ $mode ->
    [in-person] collected in person
   *[other] to be confirmed by email
  }; duplicates left out: { $duplicates }; lines to fix: { $invalid }).
