// Public API for applying settings (RFC 6186 §6: exactly what was shown and vouched for): creating, moving and
// re-checking accounts, Thunderbird's own set-up. Its own entry point, loaded only where accounts exist.
export { accountLevel, assessServer, proposeUpdate } from './assess-account.ts';
export { matchShown, sameServer, serverRef } from './match-shown.ts';
export { chooseLogin, planAccount, serverSettings } from './plan-account.ts';
export { setupOffer } from './setup-offer.ts';
export { oauth2OnlyHosts, offersOnlyOAuth2 } from './oauth2-only.ts';
