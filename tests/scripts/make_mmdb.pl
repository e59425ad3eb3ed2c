#!/usr/bin/perl
# Writes the small MaxMind-format databases the GeoIP tests read, with MaxMind's own writer
# (Debian's libmaxmind-db-writer-perl), in the three shapes operators use:
#   country.mmdb  GeoLite2-Country / DB-IP country lite: country.iso_code, registered_country
#   asn.mmdb      GeoLite2-ASN / DB-IP ASN lite: autonomous_system_number and _organization
#   ipinfo.mmdb   IPinfo lite: country_code, asn ("AS64501"), as_name, in one file
# The networks are loopback ones (the only addresses a test may connect from), documentation
# ASNs (RFC 5398) and addresses that appear only as text in test messages' Received fields.
# With --moved, 127.0.0.0/24 belongs to another AS in another country: a database update.
# Usage: make_mmdb.pl [--moved] OUTPUT_DIR
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

my $moved = @ARGV && $ARGV[0] eq '--moved' ? shift : '';
my $out = shift or die "usage: $0 [--moved] OUTPUT_DIR\n";
-d $out or mkdir $out or die "cannot create $out: $!\n";

# network => [country, asn, organisation]
my %networks = (
  '127.0.0.0/24'    => ['DE', 64501, 'Trap Test Carrier One'],
  '127.0.1.0/24'    => ['BR', 64502, 'Rede de Teste Dois'],
  '127.0.3.0/24'    => ['BR', 64502, 'Rede de Teste Dois'],
  '127.0.4.0/24'    => ['US', 0, ''],      # a country without an AS
  '::1/128'         => ['JP', 64503, 'Test IPv6 Loopback Networks'],
  '45.0.0.0/16'     => ['NG', 64504, 'Bulk Hosting <script>alert(1)</script> Ltd'],
  '2a0b:4000::/32'  => ['NL', 64505, 'Example IPv6 Hosting B.V.'],
);
# 127.0.2.0/24 is deliberately in no database: an unknown network.
$networks{'127.0.0.0/24'} = ['FR', 64510, 'Moved Carrier SAS'] if $moved;

sub tree {
  my ($type) = @_;
  my %types = (
    country => 'map', registered_country => 'map', iso_code => 'utf8_string',
    names => 'map', en => 'utf8_string', geoname_id => 'uint32',
    autonomous_system_number => 'uint32', autonomous_system_organization => 'utf8_string',
    country_code => 'utf8_string', asn => 'utf8_string', as_name => 'utf8_string',
    as_domain => 'utf8_string', continent_code => 'utf8_string',
  );
  return MaxMind::DB::Writer::Tree->new(
    ip_version => 6, record_size => 28, database_type => $type, languages => ['en'],
    description => { en => "spampot test database ($type)" },
    map_key_type_callback => sub { $types{ $_[0] } // die "no type for $_[0]\n" },
    remove_reserved_networks => 0, alias_ipv6_to_ipv4 => 1,
  );
}

my ($country, $asn, $ipinfo) = (tree('GeoLite2-Country'), tree('GeoLite2-ASN'), tree('ipinfo_lite.mmdb'));
for my $net (sort keys %networks) {
  my ($cc, $as, $org) = @{ $networks{$net} };
  $country->insert_network($net, {
    country => { iso_code => $cc, names => { en => "country $cc" } },
    registered_country => { iso_code => $cc },
  });
  $asn->insert_network($net, { autonomous_system_number => $as, autonomous_system_organization => $org }) if $as;
  my %ii = (country_code => $cc, continent_code => 'XX');
  %ii = (%ii, asn => "AS$as", as_name => $org, as_domain => 'example.net') if $as;
  $ipinfo->insert_network($net, \%ii);
}
# A network only the registered country knows (GeoLite2 leaves `country` out for some).
$country->insert_network('127.0.5.0/24', { registered_country => { iso_code => 'FR' } });

for (['country.mmdb', $country], ['asn.mmdb', $asn], ['ipinfo.mmdb', $ipinfo]) {
  my ($name, $t) = @$_;
  open my $fh, '>:raw', "$out/$name" or die "cannot write $out/$name: $!\n";
  $t->write_tree($fh);
  close $fh or die "cannot write $out/$name: $!\n";
}
