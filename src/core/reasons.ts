// Closed sets of reason codes; each doubles as a `_locales` message name with a prefix.

/** Why an address was refused before any query (docs/discovery.md, exit code 2). */
export type AddressReason =
  | 'address-empty'
  | 'address-missing-at'
  | 'address-empty-local-part'
  | 'address-empty-domain'
  | 'address-local-part-too-long'
  | 'address-too-long'
  | 'address-local-part-invalid'
  | 'address-invisible-characters'
  | 'address-domain-literal'
  | 'domain-invalid-characters'
  | 'domain-empty-label'
  | 'domain-label-too-long'
  | 'domain-too-long'
  | 'domain-label-hyphen'
  | 'domain-numeric'
  | 'domain-single-label'
  | 'domain-special-use'
  | 'domain-idna-failed';

/** Why a DNS query produced no usable answer (resolver-side, temporary: exit code 4). */
export type DnsFailureReason =
  | 'servfail'
  | 'refused'
  | 'rcode-other'
  | 'timeout'
  | 'network'
  | 'http-status'
  | 'content-type'
  | 'response-too-large'
  | 'truncated'
  | 'malformed-response'
  | 'question-mismatch'
  | 'cname-loop'
  | 'cname-target-invalid';

/** Reasons behind a badge level (docs/badge.md). */
export type BadgeReason =
  | 'all-implicit-tls'
  | 'incoming-starttls'
  | 'outgoing-starttls'
  | 'incoming-outside-domain'
  | 'outgoing-outside-domain'
  | 'incoming-not-found'
  | 'outgoing-not-found'
  | 'dnssec-validated'
  | 'dnssec-not-validated'
  | 'lookup-failed'
  | 'mta-sts-enforce'
  | 'mta-sts-testing'
  | 'mta-sts-off'
  | 'mta-sts-absent'
  | 'mta-sts-broken'
  | 'mta-sts-unchecked'
  | 'mta-sts-cached'
  | 'mta-sts-mx-mismatch'
  | 'tls-rpt-on'
  | 'tls-rpt-absent'
  | 'tls-rpt-broken'
  | 'tls-rpt-unchecked'
  | 'dane-on'
  | 'dane-insecure'
  | 'dane-broken'
  | 'dane-unchecked'
  | 'incoming-probe-failed'
  | 'outgoing-probe-failed'
  | 'not-probed'
  | 'incoming-target-alias'
  | 'outgoing-target-alias'
  | ProbeReason;

/** Why a server probe failed (RFC 6186 §6 via RFC 6125 §6, RFC 8314 §3, RFC 7673 §3): shown beside the badge. */
export type ProbeReason =
  | 'probe-connect-failed'
  | 'probe-timeout'
  | 'probe-reset'
  | 'probe-closed'
  | 'probe-tls-failed'
  | 'probe-plaintext-on-tls-port'
  | 'probe-line-too-long'
  | 'probe-response-too-long'
  | 'probe-bad-greeting'
  | 'probe-bad-response'
  | 'probe-server-refused'
  | 'probe-starttls-missing'
  | 'probe-starttls-refused'
  | 'probe-chain-too-large'
  | 'probe-certificate-unreadable'
  | 'probe-certificate-expired'
  | 'probe-certificate-name'
  | 'probe-certificate-untrusted'
  | 'probe-certificate-exception'
  | 'probe-dane-mismatch';

/** Why one SRV record was set aside (shown, never silently dropped). */
export type RejectReason = 'target-invalid' | 'port-zero' | 'records-over-limit';

/** Why a DoH resolver URL typed in the options page (or given to --doh) was refused. */
export type ResolverUrlReason =
  | 'resolver-url-invalid'
  | 'resolver-url-not-https'
  | 'resolver-url-credentials'
  | 'resolver-url-fragment'
  | 'resolver-url-template';

/** Why an MTA-STS TXT record or policy is not a policy (RFC 8461 §3), or could not be had. */
export type MtaStsReason =
  | 'mta-sts-txt-multiple'
  | 'mta-sts-txt-syntax'
  | 'mta-sts-lookup-failed'
  | 'mta-sts-fetch-failed'
  | 'mta-sts-redirect'
  | 'mta-sts-http-status'
  | 'mta-sts-content-type'
  | 'mta-sts-too-large'
  | 'mta-sts-syntax'
  | 'mta-sts-version'
  | 'mta-sts-mode'
  | 'mta-sts-max-age'
  | 'mta-sts-mx-missing'
  | 'mta-sts-mx-pattern';

/** Why a TLS-RPT record is not usable (RFC 8460 §3), or could not be had. */
export type TlsRptReason = 'tls-rpt-multiple' | 'tls-rpt-syntax' | 'tls-rpt-no-rua' | 'tls-rpt-bad-uri' | 'tls-rpt-lookup-failed';

/** Why TLSA records give no DANE protection (RFC 7671, 7672, 7673), or could not be had. */
export type DaneReason = 'dane-unusable' | 'dane-lookup-failed' | 'dane-address-insecure';

/** Why an account was not created (the Thunderbird Experiment and the core's own refusals). */
export type AccountReason =
  | 'account-unverified'
  | 'account-probe-failed'
  | 'account-oauth2-only'
  | 'account-settings-changed'
  | 'account-incomplete'
  | 'account-exists'
  | 'account-login-failed'
  | 'account-cancelled'
  | 'account-not-thunderbird'
  | 'account-bad-settings'
  | 'account-update-unconfirmed'
  | 'account-nothing-to-update';

/** Where an existing account is weaker than what its domain publishes. */
export type WeaknessReason = 'weak-starttls-while-tls-offered' | 'weak-host-not-in-srv' | 'weak-plaintext';
