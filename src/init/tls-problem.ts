// A TLS handshake failure in the words of what to fix, from the error grpc-js reports for it (Node's
// certificate check, or the OpenSSL alert the member sent). The raw text is OpenSSL's
// ("...:error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:...:SSL alert number
// 42"), which names neither the side nor the flag; observed with etcd 3.4.23 and Node 20.
import type {TlsFiles} from '../spec/types.js'

export interface TlsProblem {
  readonly problem: string
  readonly hint: string
}

/** null when `error` (an endpoint's error text) is not a TLS failure. */
export function tlsProblem(error: string, tls: TlsFiles | undefined): TlsProblem | null {
  const text = error.toLowerCase()
  // The member sent an alert: it refused the client certificate, or got none while it requires one
  // (client-cert-auth; etcd's Go TLS answers "bad certificate" to a missing one, TLS 1.3 may say
  // "certificate required").
  if (/alert (bad certificate|certificate required|unknown ca|certificate unknown|handshake failure)/.test(text)) {
    if (tls?.cert === undefined) {
      return {problem: 'the member requires a client certificate (client-cert-auth) and none was given', hint: 'add --cert FILE --key FILE: a client certificate signed by a CA the members trust (their trusted-ca-file), as etcdctl needs'}
    }
    return {problem: `the member refused the client certificate ${tls.cert}: it is not signed by a CA the member trusts, or not valid for client authentication`, hint: "give --cert/--key of a client certificate signed by the members' trusted CA (their trusted-ca-file), with extended key usage clientAuth"}
  }
  if (/unable to verify|self[- ]signed certificate|unable to get (local )?issuer|certificate signature failure/.test(text)) {
    return {problem: `the member's certificate is not signed by the CA ${tls?.ca === undefined ? 'given' : tls.ca}`, hint: "give --cacert FILE: the CA that signed the members' server certificates (their cert-file)"}
  }
  if (text.includes('certificate has expired') || text.includes('certificate is not yet valid')) {
    return {problem: `the member's certificate ${text.includes('expired') ? 'has expired' : 'is not valid yet'}`, hint: "renew the member's server certificate (or check this machine's clock)"}
  }
  if (text.includes('altnames') || text.includes("does not match certificate's")) {
    return {problem: "the member's certificate is not valid for the address in --endpoints (its subjectAltName does not list it)", hint: 'use the address or name the certificate lists in --endpoints, or reissue the certificate with this address in its subjectAltName'}
  }
  if (text.includes('wrong version number') || text.includes('packet length too long') || text.includes('http_request')) {
    return {problem: 'the endpoint does not speak TLS (it serves plain http)', hint: 'write the endpoint with http:// and leave out --cacert, --cert and --key'}
  }
  if (text.includes('ssl routines') || text.includes('ssl alert')) {
    return {problem: 'the TLS handshake was refused', hint: "check --cacert (the members' CA) and --cert/--key (a client certificate the members trust); `etcdctl --endpoints URL --cacert ... --cert ... --key ... member list` shows the same"}
  }
  return null
}
