#!/usr/bin/perl
# SPDX-License-Identifier: BSD-2-Clause
# mkmmdb.pl OUT NETWORK COUNTRY ASN ORG ...: a small MMDB file with
# country.iso_code, autonomous_system_number and _organization.
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

my $out = shift;
my $tree = MaxMind::DB::Writer::Tree->new(
	ip_version => 6, record_size => 24, database_type => 'Test-Enrich',
	languages => ['en'], description => { en => 'report-milter test' },
	map_key_type_callback => sub {
		my $k = shift;
		return $k eq 'autonomous_system_number' ? 'uint32' :
		    $k eq 'country' ? 'map' : 'utf8_string';
	},
	alias_ipv6_to_ipv4 => 1);
while (@ARGV >= 4) {
	my ($net, $cc, $asn, $org) = splice(@ARGV, 0, 4);
	$tree->insert_network($net, { country => { iso_code => $cc },
	    autonomous_system_number => $asn,
	    autonomous_system_organization => $org });
}
open(my $fh, '>:raw', $out) or die "$out: $!";
$tree->write_tree($fh);
close($fh);
