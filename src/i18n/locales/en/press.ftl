# A letter's press kit, and who is behind each letter.

press-behind-heading = Who is behind this letter
press-organized-by = Organized by
press-contact = To reach the organizers
press-privacy-officer = Person responsible for the protection of personal information
press-behind-none = The organizers of this letter have not yet said how to reach them.
press-privacy-link = How your information is protected
press-kit-link = Press kit

press-title = Press kit · { $title }
press-intro = All you need to write about this letter: the text, who is behind it, the figures and the public list to download.
press-logo-alt = Logo of { $name }
press-logo-alt-unnamed = The organizers’ logo
press-counts-heading = The figures
press-counts-as-of = As of { $time }.
press-count-confirmed = Confirmed signatures
press-count-listed = Names listed publicly
press-count-count-only = Signatures counted without a name shown
press-downloads-heading = The public list to download
press-downloads-hint = Each file bears the title, the version of the text, the export time, the number of signatories and the text’s fingerprint. It holds only the public list: never an email address.
press-download-pdf = PDF
press-download-print = Print page
press-download-text = Text
press-download-csv = CSV (spreadsheet)
press-download-json = JSON
press-initial-heading = The first signatories
press-no-initial = This letter has no initial signatories.
press-letter-heading = The letter
press-back = Back to the letter

press-officer-heading = Person responsible for the protection of personal information
press-officer-site = For this site:
press-officer-site-none = This site has not named a responsible person; each letter names its own.
press-officer-letters = Each letter is carried by its organizers, who answer for the signatures it collects. These letters name their own responsible person:

press-ws-contact-legend = To reach the organizers
press-ws-contact-hint = Shown on the letter’s page and in its press kit, for journalists and the public. Optional.
press-ws-contact-name = Contact person
press-ws-contact-email = Their email address
press-ws-officer-legend = Person responsible for the protection of personal information
press-ws-officer-hint = Quebec’s Law 25 asks the organization that collects the signatures to name this person. Shown on the letter’s page and on the Privacy page. Empty: the site’s responsible person.
press-ws-officer-owners-only = Only the letter’s owners can change this person.
press-ws-officer-name = Name
press-ws-officer-email = Email
press-ws-logo-legend = Logo (press kit)
press-ws-logo-hint = PNG or JPEG, at most 512 KB and 4000 pixels a side. SVG files are refused: they can carry code.
press-ws-logo-current = Current logo
press-ws-logo-none = No logo.
press-ws-logo-upload = Upload the logo
press-ws-logo-remove = Remove the logo
press-ws-logo-saved = Logo saved.

error-logo-missing = Choose a file.
error-logo-too-large = This file is larger than 512 KB.
error-logo-type = Only PNG and JPEG files are accepted.
error-logo-unreadable = This file is not a readable image.
error-logo-dimensions = The image must be at most 4000 pixels a side.

audit-logo-changed = Logo changed
audit-logo-removed = Logo removed
audit-line-logo-changed = { $who } changed the logo ({ $type }, { $width } × { $height }).
audit-line-logo-removed = { $who } removed the logo.
