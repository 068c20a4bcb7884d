package io.ovserve.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** The names a client certificate gives its holder: the subject's CN, and its DNS, URI and email alternative names. */
final class ClientIdentity {

    /** GeneralName tags (RFC 5280) of the alternative names that name a client. */
    private static final Set<Integer> NAMING_SANS = Set.of(1 /* rfc822Name */, 2 /* dNSName */, 6 /* URI */);

    private ClientIdentity() {
    }

    static List<String> names(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        commonName(certificate).forEach(names::add);
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    if (NAMING_SANS.contains((Integer) alternative.get(0))) {
                        names.add((String) alternative.get(1));
                    }
                }
            }
        } catch (CertificateParsingException unreadable) {
            // a certificate the handshake accepted but whose extension does not parse: named by its CN only
        }
        return names;
    }

    private static List<String> commonName(X509Certificate certificate) {
        try {
            return new LdapName(certificate.getSubjectX500Principal().getName()).getRdns().stream()
                    .filter(rdn -> rdn.getType().equalsIgnoreCase("CN")).map(Rdn::getValue).map(String::valueOf)
                    .toList();
        } catch (InvalidNameException unreadable) {
            return List.of();
        }
    }
}
