package main

func Test_REQ_0002_works(t *testing.T) {}
