# Reads [{env, url}] as JSON from the file named first (or stdin); prints [proxy-or-null]:
# URI::Generic#find_proxy decides.
require 'json'
require 'uri'
cases = JSON.parse(ARGV[0] ? File.read(ARGV[0]) : $stdin.read)
out = cases.map do |c|
  proxy = URI(c['url']).find_proxy(c['env'])
  proxy && proxy.to_s
end
$stdout.write(JSON.generate(out))
