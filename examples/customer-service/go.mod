module github.com/reqtrail/reqtrail/examples/customer-service

go 1.22
