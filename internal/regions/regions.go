// Package regions knows the AWS region names, so a typo in a flag or in
// apigw2tf.yaml is reported before any request instead of as a DNS failure
// per region. The lists come from botocore's endpoints.json (partitions aws,
// aws-cn, aws-us-gov); update them when AWS opens a region.
package regions

import "slices"

// Commercial returns the regions of the aws partition, opt-in ones included,
// sorted. It is what `--region all` expands to.
func Commercial() []string { return slices.Clone(commercial) }

// Valid reports whether name is a region of the aws, aws-cn or aws-us-gov
// partition.
func Valid(name string) bool {
	_, ok := slices.BinarySearch(commercial, name)
	return ok || slices.Contains(other, name)
}

// Known returns every region Valid accepts, sorted: the candidates for a
// did-you-mean suggestion.
func Known() []string {
	all := append(slices.Clone(commercial), other...)
	slices.Sort(all)
	return all
}

// commercial must stay sorted: Valid searches it.
var commercial = []string{
	"af-south-1",
	"ap-east-1",
	"ap-east-2",
	"ap-northeast-1",
	"ap-northeast-2",
	"ap-northeast-3",
	"ap-south-1",
	"ap-south-2",
	"ap-southeast-1",
	"ap-southeast-2",
	"ap-southeast-3",
	"ap-southeast-4",
	"ap-southeast-5",
	"ap-southeast-6",
	"ap-southeast-7",
	"ca-central-1",
	"ca-west-1",
	"eu-central-1",
	"eu-central-2",
	"eu-north-1",
	"eu-south-1",
	"eu-south-2",
	"eu-west-1",
	"eu-west-2",
	"eu-west-3",
	"il-central-1",
	"me-central-1",
	"me-south-1",
	"mx-central-1",
	"sa-east-1",
	"us-east-1",
	"us-east-2",
	"us-west-1",
	"us-west-2",
}

// other holds the China and GovCloud regions: valid names, but never part
// of `all`, because they need their own credentials and partition.
var other = []string{
	"cn-north-1",
	"cn-northwest-1",
	"us-gov-east-1",
	"us-gov-west-1",
}
