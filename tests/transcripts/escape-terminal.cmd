# Nothing raw on a terminal (issue 10 item 6): a C1 control (U+009B CSI,
# bytes C2 9B) and a byte that is not UTF-8 (9B) typed as arguments are
# shown as \xNN in every FAILURE line and by audit; valid UTF-8 passes.
hostname ab�
bogus—
user rule max_failed_logins 5
audit 5�
help pki
audit 5
