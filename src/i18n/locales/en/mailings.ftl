ws-mailings = Messages to signers
ws-mailing-subscribers = { $n ->
        [0] No confirmed signer of “{ $title }” has asked for news yet.
        [one] One confirmed signer of “{ $title }” has asked for news.
       *[other] { $n } confirmed signers of “{ $title }” have asked for news.
    }
ws-mailing-new = Write a message
ws-mailing-compose = Message to signers
ws-mailing-hint = The message goes to each confirmed signer who asked for news, in the language they signed in; with no text in their language, they get the letter’s. The text is Markdown. Each email ends with a link to stop the news.
ws-mailing-other-language = Optional: leave the subject and text empty to send the version in the letter’s language.
ws-mailing-subject = Subject
ws-mailing-body = Text (Markdown)
ws-mailing-save = Save and preview
ws-mailing-test = Send me a test ({ $email })
ws-mailing-send-heading = Send
ws-mailing-confirm = { $n ->
        [0] I confirm sending it (nobody has asked yet; signers who ask before the sending ends will get it).
        [one] I confirm sending it to one signer.
       *[other] I confirm sending it to { $n } signers.
    }
ws-mailing-send = Send the message
ws-mailing-confirm-needed = Tick the box to confirm the sending.
ws-mailing-subject-lines = The subject fits on one line.
ws-mailing-preview = Preview
ws-mailing-saved = Draft saved.
ws-mailing-tested = { $n ->
        [one] A test went to { $email }.
       *[other] { $n } tests (one per language) went to { $email }.
    }
ws-mailing-draft = Draft
ws-mailing-untitled = (no subject)
ws-mailing-started = Sending started
ws-mailing-progress = Queued: { $queued } of { $recipients } · sent: { $sent } · failed: { $failed }
ws-mailing-sent-heading = Message sent
ws-mailing-started-at = Sending started on { $time }.
ws-mailing-finished-at = Every email queued on { $time }.
ws-mailing-refresh = Refresh the progress
audit-mailing-tested = Test of a message to signers
audit-mailing-started = Message to signers sent
audit-mailing-finished = Message to signers queued for everyone
email-mailing-test-subject = [Test] { $subject }
email-mailing-why = You get this message because you signed “{ $title }” and asked for news.
audit-line-mailing-tested = { $who } sent themself a test of the message “{ $subject }” ({ $n ->
    [one] one language
   *[other] { $n } languages
  }).
audit-line-mailing-started = { $who } sent the message “{ $subject }” to { $n ->
    [0] no signer yet
    [one] { $n } signer
   *[other] { $n } signers
  }.
audit-line-mailing-finished = { $who } queued the message to signers for { $n ->
    [0] nobody
    [one] { $n } recipient
   *[other] { $n } recipients
  }.
ws-mailing-cancel = Stop sending
ws-mailing-cancel-hint = Signers who have not had the message yet will not get it; an email already gone cannot be called back.
ws-mailing-cancelled = Sending stopped.
ws-mailing-cancelled-at = Sending stopped on { $time }.
audit-mailing-cancelled = Message to signers stopped
audit-mailing-stopped = Message to signers halted
audit-line-mailing-cancelled = { $who } stopped sending the message “{ $subject }” ({ $n ->
    [0] no email was waiting
    [one] { $n } waiting email withdrawn
   *[other] { $n } waiting emails withdrawn
  }).
audit-line-mailing-stopped = { $who } halted the message “{ $subject }”: { $reason ->
    [author] its author may no longer write to the letter’s signers
   *[other] none of its texts can be sent
  } ({ $n ->
    [0] no email was waiting
    [one] { $n } waiting email withdrawn
   *[other] { $n } waiting emails withdrawn
  }).
