// Reads lines "nonProxyHosts<TAB>url" on stdin; prints DIRECT or the proxy for each, as
// java.net.ProxySelector.getDefault() (DefaultProxySelector) decides with the properties set.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;

public class JavaProxy {
    public static void main(String[] args) throws Exception {
        System.setProperty("http.proxyHost", "proxy.invalid");
        System.setProperty("http.proxyPort", "3128");
        System.setProperty("https.proxyHost", "proxy.invalid");
        System.setProperty("https.proxyPort", "3128");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
        String line;
        while ((line = in.readLine()) != null) {
            String[] parts = line.split("\u001f", 2);  // unit separator: a value may hold a tab
            System.setProperty("http.nonProxyHosts", parts[0]);
            Proxy p = ProxySelector.getDefault().select(new URI(parts[1])).get(0);
            System.out.println(p.type() == Proxy.Type.DIRECT ? "DIRECT" : p.address().toString());
        }
    }
}
