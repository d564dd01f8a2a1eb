module example.com/berth-demo

go 1.21
